// The notification service's process: config from the environment, the service (service.ts), signals.
import { runService } from '@orders/platform';
import { loadNotificationConfig } from './config';
import { SERVICE_NAME, startNotificationService } from './service';

await runService(SERVICE_NAME, loadNotificationConfig, startNotificationService);
