// The application processes of the system (four services and the saga worker), how each is
// started and what it is told about its neighbours. `npm start` and the end-to-end tests both
// start them from here, so tests exercise the same wiring a developer runs.
import path from 'node:path';
import { DEV_INTERNAL_API_TOKEN } from '@orders/platform';
import { REPO_ROOT } from '../repo-root';

export { REPO_ROOT };

export type AppName = 'inventory' | 'payment' | 'order' | 'notification' | 'worker';
export const APP_NAMES: AppName[] = ['inventory', 'payment', 'order', 'notification', 'worker'];

/**
 * The niceness of each app on a machine the whole system shares (STACK_ENGINE_NICENESS): the saga
 * worker and the services only sagas call (inventory, payment, notification) run below the order
 * service, which answers shoppers — a burst's backlog then takes the CPU the API leaves, as the
 * order pods' CPU requests arrange it on Kubernetes (loadtest/BENCHMARKS.md, seventh round).
 */
export const backlogNiceness = (niceness: number): Partial<Record<AppName, number>> => ({
  worker: niceness,
  inventory: niceness,
  payment: niceness,
  notification: niceness,
});

export type ServiceName = Exclude<AppName, 'worker'>;

export interface AppPorts {
  order: number;
  inventory: number;
  payment: number;
  notification: number;
  /** The worker's one port: /metrics, /healthz and /readyz. */
  worker: number;
  /** The Temporal SDK's own Prometheus endpoint in the worker (task slots, poll latency). */
  workerSdk: number;
  /** Each service's METRICS_PORT (GET /metrics; not on its HTTP port). */
  metrics: Record<ServiceName, number>;
}

export const DEFAULT_APP_PORTS: AppPorts = {
  order: 3001,
  inventory: 3002,
  payment: 3003,
  notification: 3004,
  worker: 9464,
  workerSdk: 9465,
  metrics: { order: 9101, inventory: 9102, payment: 9103, notification: 9104 },
};

/** The token every app requires on its internal routes: the stack's, else the development one. */
export const internalApiTokenOf = (stackEnv: Record<string, string>): string =>
  stackEnv.INTERNAL_API_TOKEN || DEV_INTERNAL_API_TOKEN;

export interface SystemOptions {
  /** Where the infrastructure listens: the stack's env file contents. */
  stackEnv: Record<string, string>;
  ports: AppPorts;
  /** Separate task queue and topics let several systems share one stack without sharing work. */
  taskQueue: string;
  eventsTopic: string;
  consumerGroup: string;
  faultInjection: boolean;
  logLevel: string;
  extraEnv?: Partial<Record<AppName, Record<string, string>>>;
  /** Node flags after the standard ones, e.g. `--cpu-prof` (which NODE_OPTIONS refuses). */
  extraNodeArgs?: Partial<Record<AppName, string[]>>;
  /** Apps started under `nice -n N` (the worker, like the Temporal server: STACK_ENGINE_NICENESS). */
  niceness?: Partial<Record<AppName, number>>;
}

/**
 * Node flags of every app: TypeScript through tsx, then tracing. The tracing module registers an
 * ESM loader hook, which must happen before the app's own imports load; only --import runs early
 * enough (libs/platform/src/telemetry/instrument.ts says why).
 */
export const APP_NODE_ARGS = [
  '--import',
  'tsx',
  '--import',
  '@orders/platform/telemetry/instrument',
  // A larger young generation (V8's default semi-space is 16 MB at most): the worker and the
  // services make short-lived garbage per task and request, and fewer scavenges of it cost less
  // CPU (measured with the Temporal server's GOGC, components/temporal.ts).
  '--max-semi-space-size=32',
];

/** service.name of each app's spans; the same names its logs carry. */
export const SERVICE_NAMES: Record<AppName, string> = {
  inventory: 'inventory',
  payment: 'payment',
  order: 'order',
  notification: 'notification',
  worker: 'orchestrator-worker',
};

export function entryOf(app: AppName): string {
  const entries: Record<AppName, string> = {
    inventory: 'services/inventory/src/main.ts',
    payment: 'services/payment/src/main.ts',
    order: 'services/order/src/main.ts',
    notification: 'services/notification/src/main.ts',
    worker: 'orchestrator/src/worker.ts',
  };
  return path.join(REPO_ROOT, entries[app]);
}

export function envOf(app: AppName, options: SystemOptions): Record<string, string> {
  const { ports, stackEnv } = options;
  const url = (port: number) => `http://127.0.0.1:${port}`;
  const common = {
    ...stackEnv,
    NODE_ENV: 'development',
    LOG_LEVEL: options.logLevel,
    FAULT_INJECTION: String(options.faultInjection),
    TEMPORAL_TASK_QUEUE: options.taskQueue,
    ORDER_EVENTS_TOPIC: options.eventsTopic,
    ORDER_EVENTS_DLQ_TOPIC: `${options.eventsTopic}.dlq`,
    INTERNAL_API_TOKEN: internalApiTokenOf(stackEnv),
  };
  const own: Record<AppName, Record<string, string>> = {
    inventory: { PORT: String(ports.inventory), METRICS_PORT: String(ports.metrics.inventory) },
    payment: {
      PORT: String(ports.payment),
      METRICS_PORT: String(ports.metrics.payment),
      STRIPE_SECRET_KEY: 'sk_test_local',
      ...(stackEnv.STRIPE_EMULATOR_URL ? { STRIPE_API_URL: stackEnv.STRIPE_EMULATOR_URL } : {}),
    },
    order: {
      PORT: String(ports.order),
      METRICS_PORT: String(ports.metrics.order),
      INVENTORY_SERVICE_URL: url(ports.inventory),
      NOTIFICATION_SERVICE_URL: url(ports.notification),
    },
    notification: {
      PORT: String(ports.notification),
      METRICS_PORT: String(ports.metrics.notification),
      KAFKA_GROUP_ID: options.consumerGroup,
    },
    worker: {
      METRICS_PORT: String(ports.worker),
      SDK_METRICS_PORT: String(ports.workerSdk),
      ORDER_SERVICE_URL: url(ports.order),
      INVENTORY_SERVICE_URL: url(ports.inventory),
      PAYMENT_SERVICE_URL: url(ports.payment),
    },
  };
  return {
    ...common,
    OTEL_SERVICE_NAME: SERVICE_NAMES[app],
    ...own[app],
    ...(options.extraEnv?.[app] ?? {}),
  };
}
