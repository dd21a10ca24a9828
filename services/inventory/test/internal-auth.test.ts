// No door left open: every route of the inventory service (read from its router, /_faults
// included) refuses a request without the internal token or with a wrong one, and serves one
// with the right token; only the probes are public. /metrics is on the metrics port only.
import { internalDoorTests } from '@orders/platform/testing';
import { startInventory } from './harness';

internalDoorTests({
  service: 'inventory',
  start: () => startInventory({ faultInjection: true }),
  expectedRoutes: [
    'GET /v1/products',
    'PUT /v1/products/:sku',
    'POST /v1/products/:sku/stock-adjustments',
    'POST /v1/reservations',
    'POST /v1/reservations/:orderId/commit',
  ],
  apiPath: '/v1/products',
});
