// The operator's command for refunds whose outcome at Stripe is not known yet, over the
// payment service's HTTP API ($PAYMENT_SERVICE_URL):
//   npm run refunds -w @orders/payment -- pending [--older-than 600] [--json]
//   npm run refunds -w @orders/payment -- settle <orderId> <idempotencyKey> [--json]
// Exit status: 0 done (settle: succeeded or released), 1 an error, 2 bad usage, 3 still pending.
import { parseArgs } from 'node:util';
import { DEV_INTERNAL_API_TOKEN, internalAuthorization, isDevelopment } from '@orders/platform';

const USAGE = `usage: refunds pending [--older-than <seconds>] [--limit <n>] [--json]
       refunds settle <orderId> <idempotencyKey> [--json]
  pending  lists refunds Stripe has not confirmed yet, oldest first
  settle   asks Stripe again (its refunds by the key, then the same request with the same key)
           and prints the outcome: succeeded, released (Stripe refused it), or still pending
  The payment service is at $PAYMENT_SERVICE_URL (default http://127.0.0.1:3003); its routes
  need the internal service token, $INTERNAL_API_TOKEN (the development one when
  NODE_ENV=development).
`;

interface PendingRefund {
  orderId: string;
  idempotencyKey: string;
  amount: number;
  reason: string | null;
  createdAt: string;
  ageSeconds: number;
}

function fail(code: number, message: string): never {
  process.stderr.write(`refunds: ${message}\n${code === 2 ? USAGE : ''}`);
  process.exit(code);
}

function parse() {
  try {
    return parseArgs({
      options: {
        'older-than': { type: 'string', default: '0' },
        limit: { type: 'string', default: '100' },
        json: { type: 'boolean', default: false },
        help: { type: 'boolean', short: 'h' },
      },
      strict: true,
      allowPositionals: true,
    });
  } catch (err) {
    fail(2, err instanceof Error ? err.message : String(err));
  }
}

const baseUrl = (process.env.PAYMENT_SERVICE_URL || 'http://127.0.0.1:3003').replace(/\/$/, '');

/** Like the services: the development token only when development is asked for. */
function internalToken(): string {
  const token = process.env.INTERNAL_API_TOKEN;
  if (token) return token;
  if (isDevelopment(process.env)) return DEV_INTERNAL_API_TOKEN;
  fail(
    2,
    'INTERNAL_API_TOKEN is not set (the payment service requires it; NODE_ENV=development uses the development one)',
  );
}

async function call(
  method: string,
  path: string,
): Promise<{ status: number; body: Record<string, unknown> }> {
  let res: Response;
  try {
    res = await fetch(`${baseUrl}${path}`, {
      method,
      headers: internalAuthorization(internalToken()),
      signal: AbortSignal.timeout(60_000),
    });
  } catch (err) {
    fail(
      1,
      `cannot reach the payment service at ${baseUrl}: ${err instanceof Error ? err.message : String(err)}`,
    );
  }
  const text = await res.text();
  let body: Record<string, unknown> = {};
  try {
    body = text ? (JSON.parse(text) as Record<string, unknown>) : {};
  } catch {
    fail(1, `${method} ${path} answered ${res.status} with a body that is not JSON: ${text.slice(0, 200)}`);
  }
  return { status: res.status, body };
}

function table(rows: PendingRefund[]): string {
  const header = ['orderId', 'idempotencyKey', 'amount', 'age', 'createdAt', 'reason'];
  const cells = rows.map((r) => [
    r.orderId,
    r.idempotencyKey,
    String(r.amount),
    `${r.ageSeconds}s`,
    r.createdAt,
    r.reason ?? '',
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...cells.map((c) => c[i]?.length ?? 0)));
  const line = (c: string[]) =>
    c
      .map((v, i) => v.padEnd(widths[i] ?? 0))
      .join('  ')
      .trimEnd();
  return [line(header), ...cells.map(line)].join('\n');
}

const { values, positionals } = parse();
if (values.help) {
  process.stdout.write(USAGE);
  process.exit(0);
}
const [command, ...rest] = positionals;
const print = (value: unknown) => process.stdout.write(`${JSON.stringify(value, null, 2)}\n`);

if (command === 'pending') {
  if (rest.length > 0) fail(2, `pending takes no arguments, got ${rest.join(' ')}`);
  const olderThan = Number(values['older-than']);
  const limit = Number(values.limit);
  if (!Number.isInteger(olderThan) || olderThan < 0)
    fail(2, '--older-than must be a whole number of seconds');
  if (!Number.isInteger(limit) || limit < 1 || limit > 1000) fail(2, '--limit must be within 1..1000');
  const { status, body } = await call(
    'GET',
    `/v1/refunds?status=pending&olderThanSeconds=${olderThan}&limit=${limit}`,
  );
  if (status !== 200) fail(1, `listing pending refunds answered ${status}: ${JSON.stringify(body)}`);
  const items = body.items as PendingRefund[];
  if (values.json) print(items);
  else
    process.stdout.write(
      items.length === 0 ? 'no pending refunds\n' : `${table(items)}\n${items.length} pending\n`,
    );
} else if (command === 'settle') {
  const [orderId, key] = rest;
  if (!orderId || !key || rest.length !== 2) fail(2, 'settle needs <orderId> <idempotencyKey>');
  const path = `/v1/payments/${encodeURIComponent(orderId)}/refunds/${encodeURIComponent(key)}/settle`;
  const { status, body } = await call('POST', path);
  if (values.json) print({ httpStatus: status, ...body });
  if (status === 200) {
    if (!values.json)
      process.stdout.write(
        body.status === 'succeeded'
          ? `succeeded: refund ${String(body.refundId)} of ${String(body.amount)}\n`
          : `released: Stripe refused it (${JSON.stringify(body.releasedBecause)}); the amount is refundable again\n`,
      );
    process.exit(0);
  }
  if (status === 503 && body.refundStatus === 'pending') {
    if (!values.json) process.stdout.write(`still pending: ${String(body.detail)}\n`);
    process.exit(3);
  }
  fail(1, `settle answered ${status}: ${JSON.stringify(body)}`);
} else fail(2, command ? `unknown command ${command}` : 'a command is required');
