// The Helm chart, validated offline: lint, render, schema-check every manifest against the
// Kubernetes API schemas, and assert what the chart promises (probes, resources, non-root pods,
// secrets kept out of ConfigMaps, worker autoscaling on task-queue backlog, network policy:
// each API port open only to its callers, each metrics port only to the monitoring namespace).
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, test } from 'node:test';
import {
  CHART_DIR,
  INSTALL_TIMEOUT_MS,
  KUBERNETES_VERSION,
  asArray,
  asRecord,
  at,
  parseYamlDocuments,
  run,
  runOk,
  tools,
  type Doc,
} from './helpers';

const COMPONENTS = ['order', 'inventory', 'payment', 'notification', 'worker'];
const SECRET_KEYS = [
  'JWT_SECRET',
  'INTERNAL_API_TOKEN',
  'STRIPE_SECRET_KEY',
  'ORDERS_DATABASE_URL',
  'INVENTORY_DATABASE_URL',
  'PAYMENTS_DATABASE_URL',
  'NOTIFICATIONS_DATABASE_URL',
  'SMTP_USER',
  'SMTP_PASSWORD',
  'TEMPORAL_API_KEY',
  'KAFKA_SASL_USERNAME',
  'KAFKA_SASL_PASSWORD',
];
/** What each app's config needs from its environment (services' and worker's config.ts). */
const REQUIRED_ENV: Record<string, string[]> = {
  order: [
    'PORT',
    'HOST',
    'ORDERS_DATABASE_URL',
    'INVENTORY_SERVICE_URL',
    'NOTIFICATION_SERVICE_URL',
    'TEMPORAL_ADDRESS',
    'JWT_SECRET',
  ],
  inventory: ['PORT', 'HOST', 'INVENTORY_DATABASE_URL'],
  payment: ['PORT', 'HOST', 'PAYMENTS_DATABASE_URL', 'STRIPE_SECRET_KEY'],
  notification: ['PORT', 'HOST', 'NOTIFICATIONS_DATABASE_URL', 'KAFKA_BROKERS', 'SMTP_HOST', 'SMTP_PORT'],
  worker: [
    'HOST',
    'TEMPORAL_ADDRESS',
    'ORDER_SERVICE_URL',
    'INVENTORY_SERVICE_URL',
    'PAYMENT_SERVICE_URL',
    'KAFKA_BROKERS',
  ],
};
// Every app requires the internal token and serves /metrics on METRICS_PORT.
for (const env of Object.values(REQUIRED_ENV)) env.push('INTERNAL_API_TOKEN', 'METRICS_PORT');

let helm = '';
let validator = '';
let workDir = '';
let defaults: Doc[] = [];
let withKeda: Doc[] = [];

/** The secrets the chart requires (nothing is generated), as an operator passes them. */
const REQUIRED_SECRETS = [
  'secrets.JWT_SECRET=jwt-secret-for-the-chart-test-0123456789',
  'secrets.INTERNAL_API_TOKEN=internal-token-for-the-chart-test',
  'secrets.STRIPE_SECRET_KEY=sk_test_chart',
];

const render = (...setValues: string[]) => renderWith([...REQUIRED_SECRETS, ...setValues]);

async function renderWith(setValues: string[]): Promise<string> {
  const sets = setValues.flatMap((v) => ['--set', v]);
  return runOk(helm, [
    'template',
    'op',
    CHART_DIR,
    '--namespace',
    'shop',
    '--kube-version',
    KUBERNETES_VERSION,
    ...sets,
  ]);
}

async function validate(name: string, docs: Doc[]) {
  const file = path.join(workDir, `${name}.json`);
  // One JSON document per line is valid YAML, which kubernetes-validate reads as a stream.
  writeFileSync(file, docs.map((d) => JSON.stringify(d)).join('\n---\n'));
  return run(validator, ['--kubernetes-version', KUBERNETES_VERSION, '--strict', '--quiet', file]);
}

const ofKind = (docs: Doc[], kind: string) => docs.filter((d) => d.kind === kind);
const named = (docs: Doc[], kind: string, name: string) => {
  const found = ofKind(docs, kind).find((d) => at(d, 'metadata.name') === name);
  assert.ok(found, `${kind} ${name} is rendered`);
  return found;
};
const containerOf = (deployment: Doc) =>
  asRecord(asArray(at(deployment, 'spec.template.spec.containers'))[0]);

before(
  async () => {
    [helm, validator] = await Promise.all([tools.helm(), tools.kubernetesValidate()]);
    workDir = mkdtempSync(path.join(tmpdir(), 'order-platform-chart-'));
    defaults = await parseYamlDocuments(await render());
    withKeda = await parseYamlDocuments(await render('keda.enabled=true'));
  },
  { timeout: INSTALL_TIMEOUT_MS },
);

after(() => rmSync(workDir, { recursive: true, force: true }));

test('helm lint passes in strict mode', async () => {
  const sets = REQUIRED_SECRETS.flatMap((v) => ['--set', v]);
  await runOk(helm, ['lint', CHART_DIR, '--strict', '--kube-version', KUBERNETES_VERSION, ...sets]);
});

test('default manifests validate against the Kubernetes schemas (strict)', async () => {
  const result = await validate('defaults', defaults);
  assert.equal(result.code, 0, result.stdout + result.stderr);
  assert.doesNotMatch(result.stdout + result.stderr, /WARN|ERROR/);
});

test('the validator used above rejects an unknown field', async () => {
  const deployment = structuredClone(named(defaults, 'Deployment', 'op-order-platform-order'));
  asRecord(deployment.spec).replicaz = 3;
  const result = await validate('broken', [deployment]);
  assert.notEqual(result.code, 0, 'strict validation must fail on a misspelt field');
});

test('with keda.enabled the manifests validate and a temporal ScaledObject replaces the HPA', async () => {
  assert.equal(ofKind(withKeda, 'HorizontalPodAutoscaler').length, 0);
  const scaled = named(withKeda, 'ScaledObject', 'op-order-platform-worker');
  assert.equal(scaled.apiVersion, 'keda.sh/v1alpha1');
  assert.equal(at(scaled, 'spec.scaleTargetRef.name'), 'op-order-platform-worker');
  const trigger = asRecord(asArray(at(scaled, 'spec.triggers'))[0]);
  assert.equal(trigger.type, 'temporal');
  const metadata = asRecord(trigger.metadata);
  for (const key of ['endpoint', 'namespace', 'taskQueue', 'targetQueueSize']) {
    assert.equal(typeof metadata[key], 'string', `trigger metadata ${key} is a string`);
  }
  assert.equal(metadata.taskQueue, 'orders');
  // KEDA's CRD schema is not bundled with kubernetes-validate; everything else is checked.
  const result = await validate(
    'keda',
    withKeda.filter((d) => d.kind !== 'ScaledObject'),
  );
  assert.equal(result.code, 0, result.stdout + result.stderr);
  const worker = named(withKeda, 'Deployment', 'op-order-platform-worker');
  assert.equal(at(worker, 'spec.replicas'), undefined, 'KEDA owns the worker replica count');
});

test('the worker HPA is autoscaling/v2 on the external temporal_task_queue_backlog metric', () => {
  const hpas = ofKind(defaults, 'HorizontalPodAutoscaler');
  assert.equal(hpas.length, 1);
  const hpa = hpas[0] ?? {};
  assert.equal(hpa.apiVersion, 'autoscaling/v2');
  assert.equal(at(hpa, 'spec.scaleTargetRef.name'), 'op-order-platform-worker');
  const metric = asRecord(asArray(at(hpa, 'spec.metrics'))[0]);
  assert.equal(metric.type, 'External');
  assert.equal(at(metric, 'external.metric.name'), 'temporal_task_queue_backlog');
  assert.deepEqual(at(metric, 'external.metric.selector.matchLabels'), { task_queue: 'orders' });
  assert.equal(at(metric, 'external.target.type'), 'AverageValue');
  assert.ok(Number(at(hpa, 'spec.maxReplicas')) > Number(at(hpa, 'spec.minReplicas')));
  assert.equal(typeof at(hpa, 'spec.behavior.scaleDown.stabilizationWindowSeconds'), 'number');
  const worker = named(defaults, 'Deployment', 'op-order-platform-worker');
  assert.equal(at(worker, 'spec.replicas'), undefined, 'the HPA owns the worker replica count');
});

test('every component has a Deployment with probes, resources, non-root and a config checksum', () => {
  const deployments = ofKind(defaults, 'Deployment');
  assert.deepEqual(
    deployments.map((d) => at(d, 'metadata.name')).sort(),
    COMPONENTS.map((c) => `op-order-platform-${c}`).sort(),
  );
  for (const deployment of deployments) {
    const name = String(at(deployment, 'metadata.name'));
    const container = containerOf(deployment);
    assert.equal(at(container, 'livenessProbe.httpGet.path'), '/healthz', `${name} liveness`);
    assert.equal(at(container, 'readinessProbe.httpGet.path'), '/readyz', `${name} readiness`);
    assert.ok(
      at(container, 'resources.requests.cpu') && at(container, 'resources.limits.memory'),
      `${name} resources`,
    );
    assert.equal(
      at(deployment, 'spec.template.spec.securityContext.runAsNonRoot'),
      true,
      `${name} runAsNonRoot`,
    );
    assert.equal(at(container, 'securityContext.readOnlyRootFilesystem'), true, `${name} read-only root`);
    assert.equal(
      at(container, 'securityContext.allowPrivilegeEscalation'),
      false,
      `${name} no privilege escalation`,
    );
    const annotations = asRecord(at(deployment, 'spec.template.metadata.annotations'));
    assert.match(String(annotations['checksum/config']), /^[0-9a-f]{64}$/, `${name} config checksum`);
    assert.match(String(annotations['checksum/secret']), /^[0-9a-f]{64}$/, `${name} secret checksum`);
  }
});

test('a changed value changes the config checksum, so pods restart', async () => {
  const changed = await parseYamlDocuments(await render('global.env.LOG_LEVEL=debug'));
  const checksum = (docs: Doc[]) =>
    asRecord(at(named(docs, 'Deployment', 'op-order-platform-order'), 'spec.template.metadata.annotations'))[
      'checksum/config'
    ];
  assert.notEqual(checksum(changed), checksum(defaults));
});

test('each app gets every variable its config requires, secrets only from the Secret', () => {
  const secret = named(defaults, 'Secret', 'op-order-platform-secrets');
  const secretKeys = Object.keys(asRecord(secret.data));
  for (const component of COMPONENTS) {
    const name = `op-order-platform-${component}`;
    const configMap = asRecord(named(defaults, 'ConfigMap', name).data);
    for (const key of SECRET_KEYS)
      assert.equal(configMap[key], undefined, `${key} must not be in ConfigMap ${name}`);
    const container = containerOf(named(defaults, 'Deployment', name));
    const fromSecret = asArray(container.env).map((e) => String(at(e, 'valueFrom.secretKeyRef.key')));
    for (const key of fromSecret)
      assert.ok(SECRET_KEYS.includes(key), `${component} reads only chart secrets`);
    for (const key of REQUIRED_ENV[component] ?? []) {
      assert.ok(key in configMap || fromSecret.includes(key), `${component} gets ${key}`);
    }
    assert.equal(configMap.HOST, '0.0.0.0');
  }
  assert.equal(
    asRecord(named(defaults, 'ConfigMap', 'op-order-platform-worker').data).ORDER_SERVICE_URL,
    'http://op-order-platform-order:3001',
  );
  assert.ok(secretKeys.includes('JWT_SECRET') && secretKeys.includes('ORDERS_DATABASE_URL'));
});

/** The NetworkPolicy's ingress rules of a component, as { port name: sources }. */
function ingressByPort(component: string): Record<string, Doc[]> {
  const policy = named(defaults, 'NetworkPolicy', `op-order-platform-${component}`);
  const rules: Record<string, Doc[]> = {};
  for (const rule of asArray(at(policy, 'spec.ingress'))) {
    const from = at(rule, 'from');
    // A rule without sources admits every pod: the chart must never render one.
    assert.ok(Array.isArray(from) && from.length > 0, `${component}: a rule without sources`);
    for (const port of asArray(at(rule, 'ports'))) {
      const key = String(at(port, 'port'));
      rules[key] = [...(rules[key] ?? []), ...asArray(from).map(asRecord)];
    }
  }
  return rules;
}

const sourceNames = (peers: Doc[]) =>
  peers
    .map((p) =>
      at(p, 'namespaceSelector')
        ? `namespace:${String(asRecord(at(p, 'namespaceSelector.matchLabels'))['kubernetes.io/metadata.name'])}`
        : String(asRecord(at(p, 'podSelector.matchLabels'))['app.kubernetes.io/component']),
    )
    .sort();

test('each API port admits only its callers; each metrics port only the monitoring namespace', () => {
  const expected: Record<string, Record<string, string[]>> = {
    order: {
      http: ['chart-test', 'namespace:ingress-nginx', 'worker'],
      metrics: ['namespace:monitoring'],
    },
    inventory: { http: ['order', 'worker'], metrics: ['namespace:monitoring'] },
    payment: { http: ['worker'], metrics: ['namespace:monitoring'] },
    notification: { http: ['order'], metrics: ['namespace:monitoring'] },
    // The worker has no API: no http rule at all (one without sources would admit every pod).
    worker: { metrics: ['namespace:monitoring'] },
  };
  for (const component of COMPONENTS) {
    const rules = Object.fromEntries(
      Object.entries(ingressByPort(component)).map(([port, peers]) => [port, sourceNames(peers)]),
    );
    assert.deepEqual(rules, expected[component], component);
  }
});

test('every component serves /metrics on a `metrics` port: container, Service and scrape annotations agree', () => {
  for (const component of COMPONENTS) {
    const name = `op-order-platform-${component}`;
    const deployment = named(defaults, 'Deployment', name);
    const container = containerOf(deployment);
    const ports = Object.fromEntries(
      asArray(container.ports).map((p) => [String(at(p, 'name')), Number(at(p, 'containerPort'))]),
    );
    const metricsPort = ports.metrics;
    assert.ok(metricsPort, `${component} has a metrics container port`);
    const configMap = asRecord(named(defaults, 'ConfigMap', name).data);
    assert.equal(configMap.METRICS_PORT, String(metricsPort), `${component} listens where the port says`);
    if (component === 'worker') {
      assert.deepEqual(Object.keys(ports), ['metrics'], 'the worker has no API port');
      assert.equal(
        at(container, 'readinessProbe.httpGet.port'),
        'metrics',
        'worker probes stay on its one port',
      );
    } else {
      assert.notEqual(ports.http, metricsPort, `${component}: metrics apart from the API`);
      assert.equal(configMap.PORT, String(ports.http));
      assert.equal(at(container, 'readinessProbe.httpGet.port'), 'http');
    }
    const annotations = asRecord(at(deployment, 'spec.template.metadata.annotations'));
    assert.equal(annotations['prometheus.io/scrape'], 'true');
    assert.equal(annotations['prometheus.io/port'], String(metricsPort), `${component} scraped on metrics`);
    assert.equal(annotations['prometheus.io/path'], '/metrics');
    const service = named(defaults, 'Service', name);
    const servicePorts = asArray(at(service, 'spec.ports'));
    assert.ok(
      servicePorts.some((p) => at(p, 'name') === 'metrics' && at(p, 'targetPort') === 'metrics'),
      `${component} Service has a metrics port`,
    );
  }
});

test('PodDisruptionBudgets cover every component; the chart test pod curls order /readyz', () => {
  assert.equal(ofKind(defaults, 'PodDisruptionBudget').length, COMPONENTS.length);
  const pod = named(defaults, 'Pod', 'op-order-platform-chart-test-order-readyz');
  assert.equal(asRecord(at(pod, 'metadata.annotations'))['helm.sh/hook'], 'test');
  const args = asArray(at(pod, 'spec.containers.0.args')).map(String);
  assert.deepEqual(args, ['http://op-order-platform-order:3001/readyz']);
});

test('the optional Ingress exposes only the public API of the order service', async () => {
  assert.equal(ofKind(defaults, 'Ingress').length, 0);
  const docs = await parseYamlDocuments(
    await render('ingress.enabled=true', 'ingress.tlsSecretName=orders-tls'),
  );
  const ingress = named(docs, 'Ingress', 'op-order-platform-order');
  const paths = asArray(at(ingress, 'spec.rules.0.http.paths')).map((p) => String(at(p, 'path')));
  assert.ok(paths.includes('/v1'));
  assert.ok(!paths.some((p) => p.startsWith('/internal')));
  const result = await validate('ingress', docs);
  assert.equal(result.code, 0, result.stdout + result.stderr);
});

test('secrets come from values, or from an existing Secret the chart then does not render', async () => {
  const given = await parseYamlDocuments(await render('secrets.STRIPE_SECRET_KEY=sk_test_given'));
  const data = asRecord(named(given, 'Secret', 'op-order-platform-secrets').data);
  assert.equal(Buffer.from(String(data.STRIPE_SECRET_KEY), 'base64').toString(), 'sk_test_given');
  assert.equal(data.SMTP_PASSWORD, undefined, 'empty values are left out, not set to ""');
  assert.equal(
    Buffer.from(String(data.INTERNAL_API_TOKEN), 'base64').toString(),
    'internal-token-for-the-chart-test',
  );
  // Two renders (helm template, GitOps) give the same Secret: nothing is random.
  assert.equal(
    await render('secrets.STRIPE_SECRET_KEY=sk_test_given'),
    await render('secrets.STRIPE_SECRET_KEY=sk_test_given'),
  );

  const external = await parseYamlDocuments(await renderWith(['secrets.existingSecret=shop-secrets']));
  assert.equal(ofKind(external, 'Secret').length, 0);
  const env = asArray(containerOf(named(external, 'Deployment', 'op-order-platform-payment')).env);
  assert.ok(env.length > 0);
  for (const entry of env) assert.equal(at(entry, 'valueFrom.secretKeyRef.name'), 'shop-secrets');
});

test('a required secret left unset stops the render with a message naming it', async () => {
  for (const missing of ['JWT_SECRET', 'INTERNAL_API_TOKEN', 'STRIPE_SECRET_KEY']) {
    const sets = REQUIRED_SECRETS.filter((s) => !s.startsWith(`secrets.${missing}=`)).flatMap((v) => [
      '--set',
      v,
    ]);
    const result = await run(helm, [
      'template',
      'op',
      CHART_DIR,
      '--kube-version',
      KUBERNETES_VERSION,
      ...sets,
    ]);
    assert.notEqual(result.code, 0, `rendering without ${missing} fails`);
    assert.match(result.stderr, new RegExp(`secrets\\.${missing} is required`));
  }
});

const EXAMPLE = path.join(CHART_DIR, '..', 'examples', 'managed-infrastructure.yaml');
const mounts = (deployment: Doc) =>
  Object.fromEntries(
    asArray(containerOf(deployment).volumeMounts).map((m) => [String(at(m, 'mountPath')), m]),
  );

test('by default no TLS is set and nothing is allowed in plain text: production apps would refuse to start', () => {
  for (const component of COMPONENTS) {
    const data = asRecord(named(defaults, 'ConfigMap', `op-order-platform-${component}`).data);
    assert.equal(data.ALLOW_PLAINTEXT, '', component);
    assert.equal(data.NODE_ENV, 'production');
  }
  assert.equal(asRecord(named(defaults, 'ConfigMap', 'op-order-platform-worker').data).TEMPORAL_TLS, 'false');
});

test('the managed-infrastructure example: Temporal Cloud, Kafka SASL/SCRAM over TLS, PostgreSQL verify-full, STARTTLS', async () => {
  const docs = await parseYamlDocuments(
    await runOk(helm, [
      'template',
      'op',
      CHART_DIR,
      '-n',
      'shop',
      '--kube-version',
      KUBERNETES_VERSION,
      '-f',
      EXAMPLE,
    ]),
  );
  const result = await validate('managed', docs);
  assert.equal(result.code, 0, result.stdout + result.stderr);
  assert.equal(ofKind(docs, 'Secret').length, 0, "the secrets are the operator's Secret");
  const env = (c: string) => asRecord(named(docs, 'ConfigMap', `op-order-platform-${c}`).data);
  for (const c of ['order', 'worker']) {
    assert.equal(env(c).TEMPORAL_TLS, 'true', c);
    assert.equal(env(c).TEMPORAL_ADDRESS, 'shop-prod.a1b2c.tmprl.cloud:7233');
  }
  for (const c of ['worker', 'notification']) {
    assert.equal(env(c).KAFKA_TLS, 'true', c);
    assert.equal(env(c).KAFKA_SASL_MECHANISM, 'scram-sha-512', c);
  }
  assert.equal(env('notification').SMTP_REQUIRE_TLS, 'true');
  assert.equal(env('inventory').KAFKA_TLS, undefined, 'only the settings a component uses');
  for (const c of ['order', 'inventory', 'payment', 'notification']) {
    const deployment = named(docs, 'Deployment', `op-order-platform-${c}`);
    assert.ok(mounts(deployment)['/etc/order-platform/tls/postgres'], `${c} mounts the PostgreSQL CA`);
    const volume = asArray(at(deployment, 'spec.template.spec.volumes')).find(
      (v) => at(v, 'name') === 'tls-postgres',
    );
    assert.equal(at(volume, 'secret.secretName'), 'postgres-ca');
  }
  assert.equal(
    mounts(named(docs, 'Deployment', 'op-order-platform-worker'))['/etc/order-platform/tls/postgres'],
    undefined,
  );
  const worker = containerOf(named(docs, 'Deployment', 'op-order-platform-worker'));
  const fromSecret = asArray(worker.env).map((e) => String(at(e, 'valueFrom.secretKeyRef.key')));
  assert.deepEqual(
    fromSecret.filter((k) => k.startsWith('TEMPORAL_') || k.startsWith('KAFKA_')),
    ['TEMPORAL_API_KEY', 'KAFKA_SASL_USERNAME', 'KAFKA_SASL_PASSWORD'],
  );
});

test('mTLS to Temporal: the certificates Secret is mounted where the settings point, for order and worker only', async () => {
  const docs = await parseYamlDocuments(
    await render(
      'transport.temporal.tls=true',
      'transport.temporal.certificatesSecret=temporal-client',
      'transport.temporal.caCert=true',
      'transport.temporal.clientCert=true',
      'transport.temporal.serverName=temporal.internal',
      'transport.allowPlaintext={kafka,postgres,smtp}',
    ),
  );
  for (const c of ['order', 'worker']) {
    const data = asRecord(named(docs, 'ConfigMap', `op-order-platform-${c}`).data);
    assert.equal(data.TEMPORAL_TLS_CA_FILE, '/etc/order-platform/tls/temporal/ca.crt');
    assert.equal(data.TEMPORAL_TLS_CERT_FILE, '/etc/order-platform/tls/temporal/tls.crt');
    assert.equal(data.TEMPORAL_TLS_KEY_FILE, '/etc/order-platform/tls/temporal/tls.key');
    assert.equal(data.TEMPORAL_TLS_SERVER_NAME, 'temporal.internal');
    assert.equal(data.ALLOW_PLAINTEXT, 'kafka,postgres,smtp');
    assert.ok(
      mounts(named(docs, 'Deployment', `op-order-platform-${c}`))['/etc/order-platform/tls/temporal'],
    );
  }
  assert.equal(
    mounts(named(docs, 'Deployment', 'op-order-platform-payment'))['/etc/order-platform/tls/temporal'],
    undefined,
  );
  const result = await validate('mtls', docs);
  assert.equal(result.code, 0, result.stdout + result.stderr);
});
