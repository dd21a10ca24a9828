// The machine's PostgreSQL 15 as a private cluster on its own port and data directory, one
// database per service. PostgreSQL refuses to run as root, so under root every server
// command runs as the `postgres` user and the cluster lives where that user can write.
import { createHash } from 'node:crypto';
import { chmodSync, chownSync, copyFileSync, existsSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import pg from 'pg';
import type { StackConfig } from '../config';
import { ensureStackTls } from '../tls';
import { runWithProgress } from '../install';
import { execFileAsync, waitUntil } from '../processes';
import type { Component } from './component';

const asRoot = process.getuid?.() === 0;

export function postgres(config: StackConfig): Component {
  const name = 'postgres';
  const port = config.ports.postgres;
  const bin = (tool: string) => path.join(config.postgresBin, tool);
  let home = path.join(config.dataDir, 'postgres');
  const pgData = () => path.join(home, 'data');
  const log = () => path.join(home, 'postgres.log');

  /** Runs a PostgreSQL tool, as the postgres user when we are root. */
  async function pgTool(tool: string, args: string[]) {
    const [cmd, argv] = asRoot
      ? ['runuser', ['-u', 'postgres', '--', bin(tool), ...args]]
      : [bin(tool), args];
    return execFileAsync(cmd, argv, { maxBuffer: 10 * 1024 * 1024 });
  }

  async function postgresCanWrite(dir: string): Promise<boolean> {
    try {
      await execFileAsync('runuser', ['-u', 'postgres', '--', 'test', '-w', dir]);
      return true;
    } catch {
      return false;
    }
  }

  async function prepareHome() {
    mkdirSync(home, { recursive: true });
    if (!asRoot) return;
    const { stdout } = await execFileAsync('id', ['-u', 'postgres']);
    const { stdout: gid } = await execFileAsync('id', ['-g', 'postgres']);
    chownSync(home, Number(stdout.trim()), Number(gid.trim()));
    if (!(await postgresCanWrite(home))) {
      // The work tree sits under a directory the postgres user cannot enter (e.g. /root):
      // keep the cluster in a per-stack folder under /var/tmp instead.
      const key = createHash('sha1').update(config.dir).digest('hex').slice(0, 10);
      home = path.join('/var/tmp', `order-platform-${key}`, 'postgres');
      mkdirSync(home, { recursive: true, mode: 0o755 });
      chownSync(home, Number(stdout.trim()), Number(gid.trim()));
    }
  }

  /** The stack's server certificate, copied where the postgres user owns it (a key must be 0600). */
  async function serverTls(): Promise<{ cert: string; key: string }> {
    const source = await ensureStackTls(config.dir);
    const dir = path.join(home, 'tls');
    mkdirSync(dir, { recursive: true });
    const cert = path.join(dir, 'server.crt');
    const key = path.join(dir, 'server.key');
    copyFileSync(source.serverCert, cert);
    copyFileSync(source.serverKey, key);
    chmodSync(key, 0o600);
    if (asRoot) {
      const uid = Number((await execFileAsync('id', ['-u', 'postgres'])).stdout.trim());
      const gid = Number((await execFileAsync('id', ['-g', 'postgres'])).stdout.trim());
      for (const file of [dir, cert, key]) chownSync(file, uid, gid);
    }
    return { cert, key };
  }

  const connect = async (database: string) => {
    const client = new pg.Client({
      host: '127.0.0.1',
      port,
      user: 'app',
      database,
      connectionTimeoutMillis: 2_000,
    });
    await client.connect();
    return client;
  };

  return {
    name,
    async install() {
      if (existsSync(bin('initdb'))) return;
      if (!asRoot)
        throw new Error(
          `PostgreSQL 15 binaries not found in ${config.postgresBin}: install the Debian package postgresql-15`,
        );
      await runWithProgress('installing PostgreSQL 15 (apt, first run only)', 'bash', [
        '-c',
        'apt-get update -q && DEBIAN_FRONTEND=noninteractive apt-get install -y -q postgresql-15',
      ]);
    },
    async running() {
      await prepareHome();
      if (!existsSync(path.join(pgData(), 'PG_VERSION'))) return undefined;
      try {
        const { stdout } = await pgTool('pg_ctl', ['status', '-D', pgData()]);
        const match = /PID: (\d+)/.exec(stdout);
        return match ? Number(match[1]) : undefined;
      } catch {
        return undefined;
      }
    },
    async start() {
      await prepareHome();
      if (!existsSync(path.join(pgData(), 'PG_VERSION'))) {
        await pgTool('initdb', [
          '-D',
          pgData(),
          '-A',
          'trust',
          '-U',
          'app',
          '--encoding=UTF8',
          '--no-locale',
        ]);
      }
      const tls = await serverTls();
      const options = [
        `-p ${port}`,
        `-k ${home}`,
        '-c listen_addresses=127.0.0.1',
        '-c max_connections=300',
        // TLS offered, not required: the local services connect in plain text (development), a
        // client asking sslmode=verify-full gets the stack CA's certificate (issue 18's test).
        '-c ssl=on',
        `-c ssl_cert_file=${tls.cert}`,
        `-c ssl_key_file=${tls.key}`,
      ].join(' ');
      await pgTool('pg_ctl', ['-D', pgData(), '-o', options, '-l', log(), '-w', '-t', '60', 'start']);
    },
    async ready(timeoutMs) {
      await waitUntil('PostgreSQL', async () => (await connect('postgres')).end(), {
        timeoutMs,
        logFile: log(),
      });
      const admin = await connect('postgres');
      try {
        const existing = await admin.query<{ datname: string }>('SELECT datname FROM pg_database');
        const names = new Set(existing.rows.map((r) => r.datname));
        for (const db of config.databases) {
          if (!names.has(db)) await admin.query(`CREATE DATABASE "${db}"`);
        }
      } finally {
        await admin.end();
      }
    },
    async stop() {
      if ((await this.running()) === undefined) return false;
      await pgTool('pg_ctl', ['-D', pgData(), '-m', 'fast', '-w', 'stop']);
      return true;
    },
    addresses: () => ({
      server: `postgres://app@127.0.0.1:${port}`,
      databases: config.databases.join(', '),
    }),
    async version() {
      const client = await connect('postgres');
      try {
        const { rows } = await client.query<{ server_version: string }>('SHOW server_version');
        return `PostgreSQL ${rows[0]?.server_version ?? 'unknown'}`;
      } finally {
        await client.end();
      }
    },
    logFile: log,
  };
}
