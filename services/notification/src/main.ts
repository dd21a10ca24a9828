// Composition root: config -> logger -> the service (db, migrations, mailer, Kafka, HTTP) -> lifecycle.
import { createLogger, installSignalHandlers, onShutdown } from '@orders/platform';
import { loadNotificationConfig } from './config';
import { SERVICE_NAME, startNotificationService } from './service';

const config = loadNotificationConfig();
const logger = createLogger(SERVICE_NAME, config.LOG_LEVEL);

try {
  const service = await startNotificationService(config, { logger });
  // One hook: the service stops its parts in the order that loses nothing (consumer first).
  onShutdown('notification service', () => service.stop());
  installSignalHandlers(logger);
} catch (err) {
  logger.fatal({ err }, 'notification service failed to start');
  process.exit(1);
}
