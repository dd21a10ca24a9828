// Prints `export STACK_..._PORT=N` lines with ports the OS reports free right now, so a test
// run never shares ports with a developer's stack or a leftover process.
import net from 'node:net';

const names = [
  'STACK_TEMPORAL_PORT',
  'STACK_TEMPORAL_UI_PORT',
  'STACK_KAFKA_PORT',
  'STACK_KAFKA_CONTROLLER_PORT',
  'STACK_POSTGRES_PORT',
  'STACK_STRIPE_MOCK_PORT',
  'STACK_STRIPE_EMULATOR_PORT',
  'STACK_SMTP_PORT',
  'STACK_MAILPIT_PORT',
];

const servers = await Promise.all(
  names.map(
    () =>
      new Promise((resolve, reject) => {
        const server = net.createServer();
        server.once('error', reject);
        server.listen(0, '127.0.0.1', () => resolve(server));
      }),
  ),
);
names.forEach((name, i) => console.log(`export ${name}=${servers[i].address().port}`));
await Promise.all(servers.map((s) => new Promise((resolve) => s.close(resolve))));
