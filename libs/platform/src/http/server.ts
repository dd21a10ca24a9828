// Listening is separate from building the app, so tests start it on port 0 and stop it cleanly.
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Express } from 'express';
import { answerClientErrors } from './client-errors';

export interface RunningServer {
  server: Server;
  url: string;
  /** Stops accepting, lets in-flight requests finish (up to `graceMs`), then closes the rest. */
  close(graceMs?: number): Promise<void>;
}

export async function startServer(app: Express, port: number, host = '127.0.0.1'): Promise<RunningServer> {
  const server = await new Promise<Server>((resolve, reject) => {
    const s = app.listen(port, host, (err?: Error) => (err ? reject(err) : resolve(s)));
  });
  answerClientErrors(server);
  // Keep-alive longer than typical load balancers' idle timeout avoids reset races.
  server.keepAliveTimeout = 65_000;
  server.headersTimeout = 66_000;
  const { port: actualPort } = server.address() as AddressInfo;
  return {
    server,
    url: `http://${host}:${actualPort}`,
    close(graceMs = 10_000) {
      return new Promise<void>((resolve) => {
        const force = setTimeout(() => server.closeAllConnections(), graceMs);
        server.close(() => {
          clearTimeout(force);
          resolve();
        });
        server.closeIdleConnections();
      });
    },
  };
}
