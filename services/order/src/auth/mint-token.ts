// Mints a bearer token for local development and tests, signed with JWT_SECRET (default: the
// development secret the service also defaults to). Prints only the token, so it composes:
//   TOKEN=$(node --import tsx services/order/src/auth/mint-token.ts --role customer --sub cust-1 --email ada@example.test)
import { parseArgs } from 'node:util';
import { DEV_JWT_SECRET, ROLES, createTokenService, type Role } from './tokens';

const USAGE = `usage: mint-token --role customer --sub <customer id> --email <address> [--name <name>] [--ttl 1h]
       mint-token --role support --sub <agent id> [--email <address>] [--name <name>] [--ttl 1h]
  Prints a bearer JWT signed with $JWT_SECRET (default: the local development secret).
  --ttl is a time span such as 30m, 8h or 1d; at most 24h (tokens living longer are refused).
`;

function usage(problem: string): never {
  process.stderr.write(`mint-token: ${problem}\n${USAGE}`);
  process.exit(2);
}

function parse(): { role: Role; sub: string; email?: string; name?: string; ttl: string } {
  let values;
  try {
    ({ values } = parseArgs({
      options: {
        role: { type: 'string' },
        sub: { type: 'string' },
        email: { type: 'string' },
        name: { type: 'string' },
        ttl: { type: 'string', default: '1h' },
        help: { type: 'boolean', short: 'h' },
      },
      strict: true,
      allowPositionals: false,
    }));
  } catch (err) {
    usage(err instanceof Error ? err.message : String(err));
  }
  if (values.help) {
    process.stdout.write(USAGE);
    process.exit(0);
  }
  const role = ROLES.find((r) => r === values.role);
  if (!role) usage(`--role must be one of ${ROLES.join(', ')}`);
  if (!values.sub) usage('--sub is required');
  if (role === 'customer' && !values.email) usage('customer tokens need --email');
  if (!/^\d+\s?[smhdwy]$/.test(values.ttl))
    usage(`--ttl ${values.ttl} is not a time span like 30m, 8h or 1d`);
  return {
    role,
    sub: values.sub,
    ttl: values.ttl,
    ...(values.email ? { email: values.email } : {}),
    ...(values.name ? { name: values.name } : {}),
  };
}

const { ttl, ...claims } = parse();
let tokens;
try {
  tokens = createTokenService({ secret: process.env.JWT_SECRET || DEV_JWT_SECRET });
} catch (err) {
  process.stderr.write(`mint-token: JWT_SECRET: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
}
try {
  process.stdout.write(`${await tokens.sign(claims, ttl)}\n`);
} catch (err) {
  // sign only refuses claims, e.g. an e-mail address that is not one
  usage(err instanceof Error ? err.message : String(err));
}
