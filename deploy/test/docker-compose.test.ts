// docker-compose.yml and docker/Dockerfile, checked without a Docker engine: Debian's
// docker-compose 1.29 validates the file against its schema and prints the resolved config.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { before, test } from 'node:test';
import {
  INSTALL_TIMEOUT_MS,
  REPO_ROOT,
  asArray,
  asRecord,
  at,
  parseYamlDocuments,
  run,
  runOk,
  tools,
} from './helpers';

const COMPOSE_FILE = path.join(REPO_ROOT, 'docker-compose.yml');
const DOCKERFILE = path.join(REPO_ROOT, 'docker/Dockerfile');
const APPS = ['order', 'inventory', 'payment', 'notification', 'worker', 'stripe-emulator'];
const INFRA = ['postgres', 'temporal', 'temporal-ui', 'kafka', 'mailpit', 'stripe-mock', 'jaeger'];
/** Images built FROM scratch have nothing to run a probe with; dependants wait for start only. */
const UNPROBEABLE = ['otel-collector'];

let compose = '';
let services: Record<string, unknown> = {};

before(
  async () => {
    compose = await tools.dockerCompose();
    const [config] = await parseYamlDocuments(await runOk(compose, ['-f', COMPOSE_FILE, 'config']));
    services = asRecord(config?.services);
  },
  { timeout: INSTALL_TIMEOUT_MS },
);

test('docker-compose config -q accepts the file', async () => {
  const result = await run(compose, ['-f', COMPOSE_FILE, 'config', '-q']);
  assert.equal(result.code, 0, result.stderr);
});

test('the schema check is real: a misspelt key is rejected', async () => {
  const broken = readFileSync(COMPOSE_FILE, 'utf8').replace('    healthcheck:\n', '    healthchek:\n');
  const result = await run(compose, ['-f', '-', 'config', '-q'], { input: broken });
  assert.notEqual(result.code, 0);
  assert.match(result.stderr, /healthchek/);
});

test('the whole system is there, and every service but the scratch-image collector has a healthcheck', () => {
  for (const name of [...INFRA, ...UNPROBEABLE, ...APPS]) assert.ok(services[name], `service ${name}`);
  for (const name of [...INFRA, ...APPS]) {
    const test = asArray(at(services[name], 'healthcheck.test'));
    assert.ok(test.length > 0, `${name} has a healthcheck`);
    assert.ok(['CMD', 'CMD-SHELL'].includes(String(test[0])), `${name} healthcheck runs a command`);
  }
});

test('start order: dependencies wait for service_healthy (service_started only for the collector)', () => {
  let healthyEdges = 0;
  for (const [name, service] of Object.entries(services)) {
    for (const [dependency, spec] of Object.entries(asRecord(at(service, 'depends_on')))) {
      const condition = at(spec, 'condition');
      const expected = UNPROBEABLE.includes(dependency) ? 'service_started' : 'service_healthy';
      assert.equal(condition, expected, `${name} -> ${dependency}`);
      assert.ok(services[dependency], `${name} depends on a defined service ${dependency}`);
      healthyEdges += condition === 'service_healthy' ? 1 : 0;
    }
  }
  assert.ok(healthyEdges >= 12);
  const workerDeps = Object.keys(asRecord(at(services.worker, 'depends_on')));
  for (const dep of ['temporal', 'kafka', 'order', 'inventory', 'payment'])
    assert.ok(workerDeps.includes(dep), `worker waits for ${dep}`);
  const paymentDeps = Object.keys(asRecord(at(services.payment, 'depends_on')));
  assert.ok(paymentDeps.includes('stripe-emulator'));
});

test('apps are built from docker/Dockerfile targets that exist, listen on 0.0.0.0 and find their neighbours', () => {
  const dockerfile = readFileSync(DOCKERFILE, 'utf8');
  const targets = [...dockerfile.matchAll(/^FROM \S+ AS (\S+)$/gm)].map((m) => m[1]);
  for (const app of APPS) {
    assert.equal(at(services[app], 'build.dockerfile'), 'docker/Dockerfile', app);
    assert.equal(at(services[app], 'build.target'), app);
    assert.ok(targets.includes(app), `Dockerfile has target ${app}`);
    assert.equal(at(services[app], 'environment.HOST'), '0.0.0.0', `${app} HOST`);
  }
  assert.equal(at(services.order, 'environment.TEMPORAL_ADDRESS'), 'temporal:7233');
  assert.equal(at(services.order, 'environment.INVENTORY_SERVICE_URL'), 'http://inventory:3002');
  assert.equal(at(services.payment, 'environment.STRIPE_API_URL'), 'http://stripe-emulator:12113');
  assert.equal(at(services.notification, 'environment.SMTP_HOST'), 'mailpit');
  assert.equal(at(services.worker, 'environment.ORDER_SERVICE_URL'), 'http://order:3001');
  for (const app of ['order', 'inventory', 'payment', 'notification']) {
    const url = String(
      Object.entries(asRecord(at(services[app], 'environment'))).find(([k]) =>
        k.endsWith('_DATABASE_URL'),
      )?.[1],
    );
    assert.match(url, /^postgres:\/\/app:app@postgres:5432\/\w+$/, `${app} database`);
  }
});

test('every app shares one internal token; each service serves /metrics on a METRICS_PORT of its own', () => {
  const dockerfile = readFileSync(DOCKERFILE, 'utf8');
  const tokens = new Set(
    ['order', 'inventory', 'payment', 'notification', 'worker'].map((app) =>
      at(services[app], 'environment.INTERNAL_API_TOKEN'),
    ),
  );
  assert.equal(tokens.size, 1, 'one token for every app');
  assert.ok(String([...tokens][0]).length >= 16);
  const expected = { order: 9101, inventory: 9102, payment: 9103, notification: 9104 };
  for (const [app, metricsPort] of Object.entries(expected)) {
    const env = asRecord(at(services[app], 'environment'));
    assert.equal(env.METRICS_PORT, String(metricsPort), `${app} METRICS_PORT`);
    assert.notEqual(env.METRICS_PORT, env.PORT, `${app}: metrics apart from the API`);
    const published = asArray(at(services[app], 'ports')).map((p) =>
      typeof p === 'string' ? p : `${String(at(p, 'published'))}:${String(at(p, 'target'))}`,
    );
    assert.ok(published.includes(`${metricsPort}:${metricsPort}`), `${app} publishes ${metricsPort}`);
    assert.match(
      dockerfile,
      new RegExp(`FROM runtime AS ${app}\\nENV PORT=\\d+ HEALTH_PORT=\\d+ METRICS_PORT=${metricsPort}\\n`),
      `the ${app} image defaults to METRICS_PORT=${metricsPort}`,
    );
  }
});

test("the postgres init script creates every service database and Temporal's", () => {
  const sql = readFileSync(path.join(REPO_ROOT, 'docker/postgres/init-databases.sql'), 'utf8');
  for (const db of ['orders', 'inventory', 'payments', 'notifications', 'temporal', 'temporal_visibility']) {
    assert.match(sql, new RegExp(`^CREATE DATABASE ${db};$`, 'm'));
  }
});

test('the Dockerfile is multi-stage, non-root, slim, health-checked, and .dockerignore keeps junk out', () => {
  const dockerfile = readFileSync(DOCKERFILE, 'utf8');
  assert.match(dockerfile, /^ARG NODE_IMAGE=node:20-bookworm-slim$/m);
  assert.match(dockerfile, /^USER node$/m);
  assert.match(dockerfile, /^HEALTHCHECK .*\n\s+CMD .*\/healthz/m);
  assert.match(dockerfile, /npm ci --omit=dev/);
  assert.match(dockerfile, /COPY --from=deps-full \/app\/node_modules\/tsx /);
  // The apps load tracing before anything else; the emulator is a test double, untraced.
  const traced = '"--import", "@orders/platform/telemetry/instrument", ';
  for (const [target, entry, tracing] of [
    ['order', 'services/order/src/main.ts', traced],
    ['worker', 'orchestrator/src/worker.ts', traced],
    ['stripe-emulator', 'tools/stripe-emulator/src/main.ts', ''],
  ] as const) {
    assert.match(
      dockerfile,
      new RegExp(
        `FROM runtime AS ${target}\\n(?:.*\\n)*?CMD \\["node", "--import", "tsx", ${tracing}"${entry}"\\]`,
      ),
    );
  }
  const ignore = readFileSync(path.join(REPO_ROOT, '.dockerignore'), 'utf8').split('\n');
  for (const entry of ['**/node_modules', '.stack', '.git'])
    assert.ok(ignore.includes(entry), `.dockerignore ${entry}`);
  // Every workspace manifest must be copied before `npm ci`, or the lockfile install fails.
  const rootManifest = JSON.parse(readFileSync(path.join(REPO_ROOT, 'package.json'), 'utf8')) as {
    workspaces: string[];
  };
  assert.ok(rootManifest.workspaces.length > 0);
  const lock = JSON.parse(readFileSync(path.join(REPO_ROOT, 'package-lock.json'), 'utf8')) as {
    packages: Record<string, { link?: boolean; resolved?: string }>;
  };
  const workspaceDirs = Object.values(lock.packages)
    .filter((p) => p.link && p.resolved)
    .map((p) => String(p.resolved));
  for (const dir of workspaceDirs)
    assert.match(dockerfile, new RegExp(`^COPY ${dir}/package.json ${dir}/$`, 'm'), dir);
});
