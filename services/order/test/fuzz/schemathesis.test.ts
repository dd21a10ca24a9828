// The order API fuzzed from its own OpenAPI document (schemathesis, `--checks all`) on a real
// system: the order service with inventory, payment, notification and the saga worker on the
// stack, once as a customer and once as support (placements are always a customer's and
// refunds support's, so the stateful phase follows placed orders through the document's links
// to their reads, cancels, refunds and timelines). Any 5xx or check failure - response schema,
// status code, content type, headers, a schema-valid request refused or an invalid one
// accepted, 405/Allow - fails.
// Bounded by examples per operation (FUZZ_MAX_EXAMPLES) and derandomized, so the same cases
// run every time; FUZZ_SEED=<n> explores other ones.
import { randomUUID } from 'node:crypto';
import path from 'node:path';
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { loadStackConfig } from '@orders/stack/config';
import { ensureSchemathesis } from '@orders/stack/fuzz-tools';
import { pickStackEnv } from '@orders/stack/stack';
import { freePorts, startSystem, type RunningSystem } from '@orders/stack/system';
import { DEV_JWT_SECRET, createTokenService } from '../../src/auth/tokens';
import { runSchemathesis, type FuzzRunResult } from './schemathesis-run';

const MAX_EXAMPLES = Number(process.env.FUZZ_MAX_EXAMPLES ?? 50);
const SEED = process.env.FUZZ_SEED === undefined ? undefined : Number(process.env.FUZZ_SEED);
const RUN_TIMEOUT_MS = 6 * 60_000;

const suffix = randomUUID().slice(0, 8);
const logDir = path.resolve(process.env.STACK_DIR ?? '.stack/test', 'logs', `fuzz-${suffix}`);
let system: RunningSystem;
let st: string;
let tokens: { customer: string; support: string };

before(
  async () => {
    st = await ensureSchemathesis(loadStackConfig().cacheDir);
    system = await startSystem(
      {
        stackEnv: pickStackEnv(process.env),
        logDir,
        ports: await freePorts(),
        taskQueue: `orders-fuzz-${suffix}`,
        eventsTopic: `orders.events.fuzz.${suffix}`,
        consumerGroup: `notification-fuzz-${suffix}`,
        logLevel: 'warn',
        extraEnv: {
          // The fuzzer places hundreds of orders a minute; 429 is documented, but it would stop
          // the stateful phase from ever reaching the orders' reads, cancels and refunds.
          order: { PLACEMENT_RATE_LIMIT_PER_MINUTE: '1000000', SUPPORT_REQUEST_WAIT_MS: '2000' },
        },
      },
      // notification too: the support console's timeline reads the e-mails it sent.
      ['inventory', 'payment', 'order', 'worker', 'notification'],
    );
    // The system runs with NODE_ENV=development, whose JWT secret is the development one.
    const service = createTokenService({ secret: DEV_JWT_SECRET });
    tokens = {
      customer: await service.sign({
        sub: `fuzz-${suffix}`,
        role: 'customer',
        email: `fuzz-${suffix}@example.test`,
      }),
      support: await service.sign({ sub: `fuzz-agent-${suffix}`, role: 'support' }),
    };
  },
  { timeout: 12 * 60_000 },
);

after(async () => {
  await system?.stop();
});

for (const role of ['customer', 'support'] as const) {
  test(
    `schemathesis as ${role}: no 5xx and no check failures`,
    { timeout: RUN_TIMEOUT_MS + 30_000 },
    async () => {
      const result = await runSchemathesis({
        st,
        orderUrl: system.urls.order,
        role,
        tokens,
        maxExamples: MAX_EXAMPLES,
        ...(SEED === undefined ? {} : { seed: SEED }),
        reportDir: path.join(logDir, role),
        timeoutMs: RUN_TIMEOUT_MS,
      });
      report(role, result);
      const { figures } = result;
      assert.equal(figures.serverErrors, 0, `5xx answers:\n${failures(result)}`);
      assert.deepEqual(figures.violations, {}, `check failures:\n${failures(result)}`);
      assert.equal(result.exitCode, 0, `schemathesis exited with ${result.exitCode}:\n${failures(result)}`);
      // It really ran: many requests, and orders it placed were followed to their reads.
      assert.ok(figures.requests > 300, `only ${figures.requests} requests`);
      assert.ok((figures.byOperation['POST /v1/orders 202'] ?? 0) > 0, 'no placement was accepted');
      assert.ok((figures.byOperation['GET /v1/orders/{id} 200'] ?? 0) > 0, 'no placed order was read');
    },
  );
}

function report(role: string, { figures, seconds }: FuzzRunResult): void {
  const violations = Object.values(figures.violations).reduce((a, b) => a + b, 0);
  const statuses = Object.entries(figures.statuses)
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([status, n]) => `${status}: ${n}`)
    .join(', ');
  console.log(
    `fuzz ${role}: ${figures.requests} requests in ${seconds}s, ${figures.serverErrors} 5xx, ` +
      `${violations} check failures (statuses ${statuses}); report in ${path.join(logDir, role)}`,
  );
}

/** The failure section of schemathesis' output, which names each case with a curl line. */
function failures({ output }: FuzzRunResult): string {
  const start = output.indexOf('FAILURES');
  return (start >= 0 ? output.slice(start) : output).slice(0, 8_000);
}
