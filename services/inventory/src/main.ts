// The inventory service's process: config from the environment, the service (service.ts), signals.
import { runService } from '@orders/platform';
import { loadInventoryConfig } from './config';
import { SERVICE_NAME, startInventoryService } from './service';

await runService(SERVICE_NAME, loadInventoryConfig, startInventoryService);
