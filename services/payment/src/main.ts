// The payment service's process: config from the environment, the service (service.ts), signals.
import { runService } from '@orders/platform';
import { loadPaymentConfig } from './config';
import { SERVICE_NAME, startPaymentService } from './service';

await runService(SERVICE_NAME, loadPaymentConfig, startPaymentService);
