// PostgreSQL's transport is set in each service's database URL, as libpq spells it and pg
// reads it: `?sslmode=verify-full&sslrootcert=/etc/…/ca.crt` checks the server's certificate
// against that CA and its name against the host. This only says whether a URL encrypts.

const ENCRYPTED_MODES = new Set(['require', 'verify-ca', 'verify-full']);

/** The URL's sslmode (or `ssl=true`) asks for TLS; `prefer` and `allow` may fall back to plain text. */
export function postgresUsesTls(databaseUrl: string): boolean {
  let url: URL;
  try {
    url = new URL(databaseUrl);
  } catch {
    return false;
  }
  const mode = url.searchParams.get('sslmode');
  if (mode !== null) return ENCRYPTED_MODES.has(mode);
  const ssl = url.searchParams.get('ssl');
  return ssl === 'true' || ssl === '1';
}
