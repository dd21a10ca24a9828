// No door left open: every route of the payment service (read from its router, /_faults
// included) refuses a request without the internal token or with a wrong one, and serves one
// with the right token; only the probes are public. /metrics is on the metrics port only.
import { internalDoorTests } from '@orders/platform/testing';
import { startPaymentService } from './harness';

internalDoorTests({
  service: 'payment',
  start: () => startPaymentService({ faultInjection: true }),
  expectedRoutes: [
    'POST /v1/payments/authorize',
    'POST /v1/payments/:orderId/capture',
    'POST /v1/payments/:orderId/void',
    'POST /v1/payments/:orderId/refunds',
    'GET /v1/refunds',
  ],
  apiPath: '/v1/refunds',
});
