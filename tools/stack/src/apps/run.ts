// `npm start`'s second half: with the stack up, run the four services and the saga worker in
// the foreground on their default ports; Ctrl-C stops them (the stack keeps running).
import path from 'node:path';
import { loadStackConfig } from '../config';
import { readEnvFile } from '../stack';
import { backlogNiceness, DEFAULT_APP_PORTS } from './apps';
import { startSystem } from './system';

const config = loadStackConfig();
const stackEnv = readEnvFile(path.join(config.dir, 'stack.env'));
const logDir = path.join(config.logDir, 'apps');

console.log('== starting the services and the worker ==');
const system = await startSystem({
  stackEnv,
  logDir,
  ports: DEFAULT_APP_PORTS,
  faultInjection: false,
  logLevel: process.env.LOG_LEVEL ?? 'info',
  // The backlog's processes below the order service, like the Temporal server (STACK_ENGINE_NICENESS).
  niceness: backlogNiceness(config.engineNiceness),
});

console.log(`
order API        ${system.urls.order}        (POST /v1/orders, GET /v1/orders/:id; metrics ${system.metricsUrls.order}/metrics)
support console  ${system.urls.order}/console/
inventory        ${system.urls.inventory}        (GET /v1/products; metrics ${system.metricsUrls.inventory}/metrics)
payment          ${system.urls.payment}        (metrics ${system.metricsUrls.payment}/metrics)
notification     ${system.urls.notification}        (metrics ${system.metricsUrls.notification}/metrics)
saga worker      ${system.urls.worker}        (/metrics, /readyz)
internal routes  every route of inventory, payment and notification, and the order service's
                 /internal: Authorization: Bearer ${system.internalApiToken} (the development token)
Temporal UI      ${stackEnv.TEMPORAL_UI_URL}
mail (mailpit)   ${stackEnv.MAILPIT_URL}
logs             ${logDir}/<app>.log

Place an order (README.md has the whole session: follow, list, refund, cancel):
  SHOPPER=$(npm run -s token -- --role customer --sub cust-1 --email ada@example.test)
  curl -s -X POST ${system.urls.order}/v1/orders -H "authorization: Bearer $SHOPPER" -H 'content-type: application/json' \\
    -H "Idempotency-Key: $(uuidgen)" -d '{"items":[{"sku":"MUG-LOGO","quantity":2}],"paymentMethod":"pm_card_visa"}'
API docs: ${system.urls.order}/docs

Ctrl-C stops the services; \`npm run stack -- down\` stops the infrastructure.`);

let stopping = false;
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.on(signal, () => {
    if (stopping) return;
    stopping = true;
    console.log('\nstopping the services (the worker drains first) ...');
    void system.stop().then(() => process.exit(0));
  });
}
