// The one way every part of the project picks a port to listen on: the test stack's
// infrastructure (`free-ports-cli.ts`), the apps the tests and the bench start, the autoscaler's
// workers and exporter.
import net from 'node:net';

/**
 * Ports below Linux's ephemeral range (32768-60999): a port the OS hands out for `listen(0)` is
 * also handed to outgoing connections (Kafka, PostgreSQL pools), which can take it between this
 * check and the app's own listen (EADDRINUSE). Random in the range, checked free, never twice
 * in one process.
 */
const PORT_RANGE = { from: 15_000, to: 32_767 };
const handedOut = new Set<number>();

function canListen(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = net.createServer();
    server.once('error', () => resolve(false));
    server.listen(port, '127.0.0.1', () => server.close(() => resolve(true)));
  });
}

export async function freePort(): Promise<number> {
  for (let attempt = 0; attempt < 200; attempt++) {
    const port = PORT_RANGE.from + Math.floor(Math.random() * (PORT_RANGE.to - PORT_RANGE.from + 1));
    if (handedOut.has(port) || !(await canListen(port))) continue;
    handedOut.add(port);
    return port;
  }
  throw new Error(`no free port found in ${PORT_RANGE.from}-${PORT_RANGE.to}`);
}
