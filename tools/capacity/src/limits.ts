// The figures the model takes from outside the bench: documented limits of the parts, figures
// this project measured on its own machine, and the code's own defaults. Each carries where it
// comes from, and SCALING.md prints the table, so no number in the plan is without a source.
// Code facts (`kind: 'code'`) are checked against their files by test/sources.test.ts.

export interface Limit {
  value: number;
  unit: string;
  what: string;
  kind: 'documented' | 'measured' | 'code' | 'policy' | 'assumed';
  source: string;
  /** For code facts: text that must appear in the source file for the figure to hold. */
  evidence?: string;
}

export const LIMITS = {
  peakFactor: {
    value: 10,
    unit: '× average',
    what: 'peak orders/s over the daily average',
    kind: 'policy',
    source: 'issue 18, part 3: "peaks of 10× the average"',
  },
  headroom: {
    value: 1.5,
    unit: '× peak',
    what: 'capacity provisioned over the peak (components run at ≤ 67 % of what they are given)',
    kind: 'policy',
    source: 'this plan’s choice; every "cores" and "per-shard" figure below includes it',
  },
  pgDurableCommitsPerSec: {
    value: 4400,
    unit: 'commits/s',
    what: 'durable commits of one PostgreSQL 15 server (pgbench -N, 8–32 clients, 2 cores)',
    kind: 'measured',
    source: 'shared/STACK-NOTES.md, "PostgreSQL 15"',
  },
  pgSerialCommitsPerSec: {
    value: 1000,
    unit: 'commits/s',
    what: 'durable commits of one client in sequence (pgbench -N, 1 client): ≈ 1 ms per commit',
    kind: 'measured',
    source: 'shared/STACK-NOTES.md, "PostgreSQL 15"',
  },
  temporalShardIoConcurrency: {
    value: 1,
    unit: 'operation',
    what: 'persistence operations in flight per history shard (history.shardIOConcurrency default)',
    kind: 'documented',
    source:
      'Temporal staff answer, https://community.temporal.io/t/temporal-shards-configured-in-shards-table/15533',
  },
  temporalDefaultShards: {
    value: 512,
    unit: 'shards',
    what: 'numHistoryShards of Temporal’s Helm chart ("This value cannot be changed, once it’s set")',
    kind: 'documented',
    source: 'https://github.com/temporalio/helm-charts/blob/main/charts/temporal/values.yaml',
  },
  kafkaPartitionMBps: {
    value: 10,
    unit: 'MB/s',
    what: 'producer throughput of one partition ("roughly 10s of MB/sec"; the low end taken)',
    kind: 'documented',
    source: 'https://www.confluent.io/blog/5-common-pitfalls-when-using-apache-kafka/',
  },
  kafkaDefaultPartitions: {
    value: 1,
    unit: 'partition',
    what: 'partitions of a topic the notification service creates (it leaves them to the broker’s num.partitions, default 1)',
    kind: 'code',
    source: 'services/notification/src/consumer/ensure-topics.ts',
    evidence: 'Partition count and replication are left to the broker',
  },
  smtpSendMs: {
    value: 100,
    unit: 'ms',
    what: 'one SMTP submission to the production relay',
    kind: 'assumed',
    source: 'not measured: the bench’s SMTP is mailpit on loopback. Pass --smtp-ms with your relay’s p95',
  },
  stripeLiveOpsPerSec: {
    value: 100,
    unit: 'requests/s',
    what: 'Stripe’s global API rate limit per account in live mode',
    kind: 'documented',
    source: 'https://docs.stripe.com/rate-limits',
  },
  stripeEndpointOpsPerSec: {
    value: 25,
    unit: 'requests/s',
    what: 'Stripe’s default limit per API endpoint (e.g. POST /v1/payment_intents)',
    kind: 'documented',
    source: 'https://docs.stripe.com/rate-limits',
  },
  sagaStartBatch: {
    value: 20,
    unit: 'orders',
    what: 'orders a saga starter claims and starts per round (SAGA_START_BATCH_SIZE default)',
    kind: 'code',
    source: 'services/order/src/config.ts',
    evidence: 'SAGA_START_BATCH_SIZE: z.coerce.number().int().positive().default(20)',
  },
  engineWorkflowActivities: {
    value: 6,
    unit: 'activities',
    what: 'sequential no-op activities of the bench’s engine-ceiling workflow (so 6 activity tasks, 7 workflow tasks)',
    kind: 'code',
    source: 'tools/bench/src/engine/workflows.ts',
    evidence: 'export const ENGINE_STEPS = 6;',
  },
} satisfies Record<string, Limit>;

export type LimitName = keyof typeof LIMITS;

/**
 * How Temporal's CPU divides between its services. The dev server runs them in one process, so
 * the bench cannot split it; this is the replica mix of the production deployment Temporal's
 * documentation gives as an example (5 frontend, 15 history, 17 matching, 3 worker), read as a
 * CPU share. Measure the split on the real cluster and replace it.
 */
export const TEMPORAL_SPLIT = {
  source: 'https://docs.temporal.io/server ("5 Frontend, 15 History, 17 Matching, and 3 Worker Services")',
  replicas: { frontend: 5, history: 15, matching: 17, worker: 3 },
} as const;

/**
 * Writes to each service's database for one completed order, read from the repositories.
 * `commits` are transactions (what the pgbench ceiling counts); statements inside one
 * transaction commit once. `perBatch` ones are shared by the saga starter's batch of orders.
 * The notification database is counted from the saga's events instead (see db-writes.ts).
 */
export interface WriteSite {
  database: 'orders' | 'inventory' | 'payments';
  file: string;
  call: string;
  commits: number;
  perBatch?: boolean;
  what: string;
}

export const WRITE_SITES: WriteSite[] = [
  {
    database: 'orders',
    file: 'services/order/src/routes/placement-rate-limit.ts',
    call: 'RateLimiterPostgres',
    commits: 1,
    what: 'the placement’s permit (an upsert in placement_rate_limits)',
  },
  {
    database: 'orders',
    file: 'services/order/src/data-access/orders-repository.ts',
    call: 'async insertOrGet(',
    commits: 1,
    what: 'INSERT the order (the outbox row)',
  },
  {
    database: 'orders',
    file: 'services/order/src/data-access/orders-repository.ts',
    call: 'async claimSagaStarts(',
    commits: 1,
    perBatch: true,
    what: 'UPDATE … FOR UPDATE SKIP LOCKED: the starter claims a batch',
  },
  {
    database: 'orders',
    file: 'services/order/src/data-access/orders-repository.ts',
    call: 'async markSagaStarted(',
    commits: 1,
    perBatch: true,
    what: 'UPDATE saga_started_at for the started batch',
  },
  {
    database: 'orders',
    file: 'services/order/src/data-access/orders-repository.ts',
    call: 'async transition(',
    commits: 2,
    what: 'UPDATE status: PENDING → CONFIRMED (confirmOrder), → COMPLETED (recordOutcome)',
  },
  {
    database: 'inventory',
    file: 'services/inventory/src/domain/reservations.ts',
    call: 'export async function reserveStock(',
    commits: 1,
    what: 'one transaction: INSERT reservation, UPDATE products per line, INSERT reservation_items',
  },
  {
    database: 'inventory',
    file: 'services/inventory/src/domain/reservations.ts',
    call: 'export async function pinReservation(',
    commits: 1,
    what: 'UPDATE reservations.pinned_at before capture',
  },
  {
    database: 'inventory',
    file: 'services/inventory/src/domain/reservations.ts',
    call: 'export async function commitReservation(',
    commits: 1,
    what: 'one transaction: UPDATE products per line, UPDATE reservation status',
  },
  {
    database: 'payments',
    file: 'services/payment/src/domain/authorize-payment.ts',
    call: 'deps.repo.insertAuthorizing(',
    commits: 1,
    what: 'INSERT the payment (AUTHORIZING)',
  },
  {
    database: 'payments',
    file: 'services/payment/src/domain/settle.ts',
    call: "deps.repo.transition(orderId, ['AUTHORIZING']",
    commits: 1,
    what: 'UPDATE → AUTHORIZED',
  },
  {
    database: 'payments',
    file: 'services/payment/src/domain/capture-payment.ts',
    call: "deps.repo.transition(orderId, ['AUTHORIZED'], { status: 'CAPTURING' })",
    commits: 1,
    what: 'UPDATE → CAPTURING',
  },
  {
    database: 'payments',
    file: 'services/payment/src/domain/settle.ts',
    call: 'changed = await deps.repo.transition(payment.orderId, from, {',
    commits: 1,
    what: 'UPDATE → CAPTURED (recordCaptureOutcome)',
  },
];

/** The notification service's writes per event, by whether the event is e-mailed. */
export const NOTIFICATION_WRITES = {
  file: 'services/notification/src/data-access/notifications-repository.ts',
  /** recordSkipped: one INSERT. */
  recorded: { commits: 1, calls: ['async recordSkipped('] },
  /** claimForSending (INSERT … ON CONFLICT), holdsClaim (UPDATE), markSent (UPDATE). */
  emailed: { commits: 3, calls: ['async claimForSending(', 'async holdsClaim(', 'async markSent('] },
};

/** Stripe calls per completed order: create (confirmed, manual capture) and capture. */
export const STRIPE_CALLS = {
  file: 'services/payment/src/adapters/stripe/stripe-gateway.ts',
  endpoints: [
    { endpoint: 'POST /v1/payment_intents', evidence: 'this.stripe.paymentIntents.create(' },
    { endpoint: 'POST /v1/payment_intents/:id/capture', evidence: 'this.stripe.paymentIntents.capture(' },
  ],
};
