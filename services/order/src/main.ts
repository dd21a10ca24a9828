// The order service's process: config from the environment, the service (service.ts), signals.
import { runService } from '@orders/platform';
import { loadOrderServiceConfig } from './config';
import { SERVICE_NAME, startOrderService } from './service';

await runService(SERVICE_NAME, loadOrderServiceConfig, startOrderService);
