// Where every part of the local stack lives: ports, data and tool cache, parsed once from env.
// Ports default to the usual ones for `npm start`; the test command passes its own so a stack
// left running by a developer can neither satisfy nor break a test run.
import { homedir } from 'node:os';
import path from 'node:path';
import { z } from 'zod';

const port = (fallback: number) => z.coerce.number().int().min(1).max(65535).default(fallback);

const EnvSchema = z.object({
  STACK_DIR: z.string().default('.stack/dev'),
  STACK_CACHE: z
    .string()
    .default(path.join(process.env.XDG_CACHE_HOME ?? path.join(homedir(), '.cache'), 'order-platform')),
  STACK_TEMPORAL_PORT: port(7233),
  STACK_TEMPORAL_UI_PORT: port(8233),
  STACK_KAFKA_PORT: port(9092),
  STACK_KAFKA_CONTROLLER_PORT: port(9093),
  STACK_KAFKA_SASL_PORT: port(9094),
  STACK_POSTGRES_PORT: port(5433),
  STACK_STRIPE_MOCK_PORT: port(12111),
  STACK_STRIPE_EMULATOR_PORT: port(12113),
  STACK_SMTP_PORT: port(1025),
  STACK_MAILPIT_PORT: port(8025),
  // The opt-in Kubernetes profile (`up --k8s`).
  STACK_ETCD_PORT: port(2379),
  STACK_ETCD_PEER_PORT: port(2380),
  STACK_KUBE_APISERVER_PORT: port(6443),
  STACK_PROMETHEUS_PORT: port(9090),
  STACK_PROMETHEUS_ADAPTER_PORT: port(6445),
  // How often the HPA controller syncs (the real default is 15 s; shorter keeps a test short).
  STACK_HPA_SYNC_SECONDS: z.coerce.number().int().min(1).max(60).default(5),
  STACK_TEMPORAL_CLI_VERSION: z.string().default('v1.5.1'),
  STACK_KAFKA_VERSION: z.string().default('4.1.1'),
  STACK_STRIPE_MOCK_VERSION: z.string().default('v0.203.0'),
  STACK_MAILPIT_VERSION: z.string().default('v1.27.11'),
  STACK_POSTGRES_BIN: z.string().default('/usr/lib/postgresql/15/bin'),
  STACK_KAFKA_HEAP: z.string().default('768m'),
  // The engine (Temporal server, saga worker) and the services only sagas call (inventory,
  // payment, notification) run at this niceness: on a machine they share with the order API, a
  // burst's backlog then takes the CPU the API leaves, as CPU requests arrange it on Kubernetes
  // (loadtest/BENCHMARKS.md). 0 runs everything alike.
  // More dynamic config for the dev server, `key=value` separated by spaces: to try a setting
  // with the bench before it joins the defaults in components/temporal.ts.
  STACK_TEMPORAL_DYNAMIC_CONFIG: z.string().default(''),
  STACK_ENGINE_NICENESS: z.coerce.number().int().min(0).max(19).default(10),
});

export type StackConfig = ReturnType<typeof loadStackConfig>;

export function loadStackConfig(env: NodeJS.ProcessEnv = process.env) {
  const parsed = EnvSchema.safeParse(env);
  if (!parsed.success) {
    const issues = parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ');
    throw new Error(`invalid stack configuration: ${issues}`);
  }
  const e = parsed.data;
  const dir = path.resolve(e.STACK_DIR);
  return {
    dir,
    runDir: path.join(dir, 'run'),
    logDir: path.join(dir, 'logs'),
    dataDir: path.join(dir, 'data'),
    cacheDir: path.resolve(e.STACK_CACHE),
    ports: {
      temporal: e.STACK_TEMPORAL_PORT,
      temporalUi: e.STACK_TEMPORAL_UI_PORT,
      kafka: e.STACK_KAFKA_PORT,
      kafkaController: e.STACK_KAFKA_CONTROLLER_PORT,
      kafkaSasl: e.STACK_KAFKA_SASL_PORT,
      postgres: e.STACK_POSTGRES_PORT,
      stripeMock: e.STACK_STRIPE_MOCK_PORT,
      stripeEmulator: e.STACK_STRIPE_EMULATOR_PORT,
      smtp: e.STACK_SMTP_PORT,
      mailpit: e.STACK_MAILPIT_PORT,
      etcd: e.STACK_ETCD_PORT,
      etcdPeer: e.STACK_ETCD_PEER_PORT,
      kubeApiserver: e.STACK_KUBE_APISERVER_PORT,
      prometheus: e.STACK_PROMETHEUS_PORT,
      prometheusAdapter: e.STACK_PROMETHEUS_ADAPTER_PORT,
    },
    hpaSyncSeconds: e.STACK_HPA_SYNC_SECONDS,
    versions: {
      temporalCli: e.STACK_TEMPORAL_CLI_VERSION,
      kafka: e.STACK_KAFKA_VERSION,
      stripeMock: e.STACK_STRIPE_MOCK_VERSION,
      mailpit: e.STACK_MAILPIT_VERSION,
    },
    postgresBin: e.STACK_POSTGRES_BIN,
    kafkaHeap: e.STACK_KAFKA_HEAP,
    engineNiceness: e.STACK_ENGINE_NICENESS,
    temporalDynamicConfig: e.STACK_TEMPORAL_DYNAMIC_CONFIG.split(/\s+/).filter(Boolean),
    /** One database per service: no service reads another's tables. */
    databases: ['orders', 'inventory', 'payments', 'notifications'] as const,
  };
}
