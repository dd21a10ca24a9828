import assert from 'node:assert/strict';
import net from 'node:net';
import { test } from 'node:test';
import { freePort } from '../src/free-port';

test('free ports are below the ephemeral range, distinct within a process, and listenable', async () => {
  const ports: number[] = [];
  for (let i = 0; i < 20; i++) ports.push(await freePort());
  assert.equal(new Set(ports).size, 20);
  for (const port of ports) assert.ok(port >= 15_000 && port < 32_768, `${port} is outside 15000-32767`);
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(ports[0], '127.0.0.1', resolve));
  server.close();
});
