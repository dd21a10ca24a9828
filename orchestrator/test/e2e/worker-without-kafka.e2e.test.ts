// The worker starts while Kafka is down: it is live at once, ready only once a broker answers,
// and needs no restart when the broker comes (here: a TCP proxy that starts forwarding later).
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import net from 'node:net';
import { test } from 'node:test';
import { APP_NODE_ARGS, REPO_ROOT, entryOf, envOf, type SystemOptions } from '@orders/stack/apps';
import { freePorts } from '@orders/stack/system';
import { pickStackEnv } from '@orders/stack/stack';
import { eventually } from './system-under-test';

const status = (url: string) =>
  fetch(url).then(
    (r) => r.status,
    () => 0,
  );

test(
  'a worker started without Kafka is live, becomes ready when the broker appears',
  { timeout: 180_000 },
  async () => {
    const [brokerHost, brokerPort] = (process.env.KAFKA_BROKERS ?? '').split(',')[0]?.split(':') ?? [];
    assert.ok(brokerHost && brokerPort, 'KAFKA_BROKERS is set by npm test');
    const ports = await freePorts();
    const proxyPort = ports.order; // a free port nothing listens on yet
    const options: SystemOptions = {
      stackEnv: pickStackEnv(process.env),
      ports,
      taskQueue: `orders-no-kafka-${randomUUID().slice(0, 8)}`,
      eventsTopic: `orders.events.no-kafka.${randomUUID().slice(0, 8)}`,
      consumerGroup: `notification-no-kafka-${randomUUID().slice(0, 8)}`,
      faultInjection: false,
      logLevel: 'warn',
    };
    const worker = spawn(process.execPath, [...APP_NODE_ARGS, entryOf('worker')], {
      cwd: REPO_ROOT,
      env: { ...process.env, ...envOf('worker', options), KAFKA_BROKERS: `127.0.0.1:${proxyPort}` },
      stdio: 'ignore',
    });
    let proxy: net.Server | undefined;
    try {
      const health = `http://127.0.0.1:${ports.worker}`;
      await eventually('the worker live', async () =>
        (await status(`${health}/healthz`)) === 200 ? true : undefined,
      );
      assert.equal(worker.exitCode, null, 'the worker did not exit without Kafka');
      assert.equal(await status(`${health}/readyz`), 503);

      // The broker "comes back": the seed address now forwards to the real one.
      proxy = net.createServer((client) => {
        const upstream = net.connect(Number(brokerPort), brokerHost);
        client.pipe(upstream).pipe(client);
        const close = () => {
          client.destroy();
          upstream.destroy();
        };
        client.on('error', close);
        upstream.on('error', close);
      });
      await new Promise<void>((resolve) => proxy?.listen(proxyPort, '127.0.0.1', resolve));
      await eventually(
        'the worker ready',
        async () => ((await status(`${health}/readyz`)) === 200 ? true : undefined),
        120_000,
      );
    } finally {
      worker.kill('SIGKILL');
      proxy?.close();
    }
  },
);
