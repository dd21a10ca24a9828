// The command line of `npm run chaos`, checked once with zod; the defaults are the short CI run.
import { parseArgs } from 'node:util';
import { z } from 'zod';

export const USAGE = `usage: npm run chaos -- [--orders N] [--rate R] [--seed S] [--json] [--no-faults] [--keep]
                      [--rounds K] [--refund-window 90] [--down 4] [--fault-window 45]
                      [--fault-probability 0.05] [--smtp-outage 60] [--drain-timeout 240]
                      [--burst 6] [--customers 20]
  A steady stream of N orders (default 150, the CI run; --orders 2000 is the long run) at R
  orders/s (default: what spreads the schedule over the load), while every part is SIGKILLed
  by its pid file and restarted (worker, order, inventory, payment, notification, Kafka,
  Temporal, PostgreSQL: each once per round), the Stripe emulator faults for a window (each
  mode on --fault-probability of all requests) and SMTP is down for --smtp-outage seconds.
  Before each kill and fault window --burst of the orders go out at once, so it meets sagas
  in flight. Then it waits until every order is terminal and runs the audit. The stack is brought up if
  needed (STACK_DIR and STACK_*_PORT choose which); the apps run on free ports for the run.
  --json writes the report to $STACK_DIR/chaos/<time>.json. --keep keeps the run's Kafka
  topics after it. Exit 1 on audit violations or orders that never became terminal.
`;

const positive = z.coerce.number().positive();
const seconds = (fallback: number) => z.coerce.number().nonnegative().default(fallback);

const schema = z.object({
  orders: z.coerce.number().int().positive().default(150),
  rate: positive.optional(),
  seed: z.coerce.number().int().nonnegative().optional(),
  json: z.boolean().default(false),
  faults: z.boolean().default(true),
  keep: z.boolean().default(false),
  rounds: z.coerce.number().int().positive().default(1),
  refundWindowSeconds: z.coerce.number().int().positive().default(90),
  downSeconds: seconds(4),
  faultWindowSeconds: seconds(45),
  faultProbability: z.coerce.number().min(0).max(1).default(0.05),
  smtpOutageSeconds: seconds(60),
  drainTimeoutSeconds: seconds(240),
  customers: z.coerce.number().int().positive().default(20),
  burst: z.coerce.number().int().nonnegative().default(6),
});

export type ChaosOptions = z.infer<typeof schema>;

export function parseOptions(argv: string[]): ChaosOptions | 'help' {
  const { values } = parseArgs({
    args: argv,
    options: {
      orders: { type: 'string' },
      rate: { type: 'string' },
      seed: { type: 'string' },
      json: { type: 'boolean' },
      'no-faults': { type: 'boolean' },
      keep: { type: 'boolean' },
      rounds: { type: 'string' },
      'refund-window': { type: 'string' },
      down: { type: 'string' },
      'fault-window': { type: 'string' },
      'fault-probability': { type: 'string' },
      'smtp-outage': { type: 'string' },
      'drain-timeout': { type: 'string' },
      customers: { type: 'string' },
      burst: { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
    strict: true,
  });
  if (values.help) return 'help';
  const parsed = schema.safeParse({
    orders: values.orders,
    rate: values.rate,
    seed: values.seed,
    json: values.json,
    faults: values['no-faults'] ? false : undefined,
    keep: values.keep,
    rounds: values.rounds,
    refundWindowSeconds: values['refund-window'],
    downSeconds: values.down,
    faultWindowSeconds: values['fault-window'],
    faultProbability: values['fault-probability'],
    smtpOutageSeconds: values['smtp-outage'],
    drainTimeoutSeconds: values['drain-timeout'],
    customers: values.customers,
    burst: values.burst,
  });
  if (!parsed.success)
    throw new Error(
      `invalid options: ${parsed.error.issues.map((i) => `--${i.path.join('.')}: ${i.message}`).join('; ')}`,
    );
  return parsed.data;
}
