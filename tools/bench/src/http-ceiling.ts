// Ceiling (b): what an express hello-world answers per second on this machine, driven by the
// same vegeta with as many requests in flight as it can keep, and a body like a placement's.
import path from 'node:path';
import { BENCH_SRC, startChild } from './children';
import { reapedChildrenCpuSeconds, type CpuSampler } from './cpu';
import { saturate } from './vegeta';

export interface HttpCeiling {
  requestsPerSec: number;
  requests: number;
  successRatio: number;
  workers: number;
  /** The load generator's own CPU: on the same cores, it is part of what bounds the ceiling. */
  vegetaCpuSeconds: number;
  latencyMs: { p50: number; p95: number; p99: number; max: number };
}

export async function measureHttpCeiling(opts: {
  vegeta: string;
  durationMs: number;
  workers: number;
  logDir: string;
  cpu?: CpuSampler;
}): Promise<HttpCeiling> {
  const server = await startChild({
    entry: path.join(BENCH_SRC, 'http/hello.ts'),
    env: {},
    logFile: path.join(opts.logDir, 'http-hello.log'),
    readyPrefix: 'listening ',
  });
  opts.cpu?.track('express hello', server.pid);
  opts.cpu?.start();
  try {
    const port = Number(server.readyLine.split(' ')[1]);
    const reapedBefore = reapedChildrenCpuSeconds();
    const report = await saturate({
      binary: opts.vegeta,
      durationMs: opts.durationMs,
      workers: opts.workers,
      target: {
        method: 'POST',
        url: `http://127.0.0.1:${port}/hello`,
        header: { 'Content-Type': ['application/json'] },
        body: JSON.stringify({
          items: [{ sku: 'LOADTEST-TEE', quantity: 1 }],
          paymentMethod: 'pm_card_visa',
        }),
      },
    });
    const vegetaCpuSeconds = reapedChildrenCpuSeconds() - reapedBefore;
    const ms = (ns: number) => Math.round(ns / 1e4) / 100;
    return {
      // Successful answers per second over the attack, as vegeta measures it.
      requestsPerSec: Math.round(report.throughput),
      requests: report.requests,
      successRatio: report.success,
      workers: opts.workers,
      vegetaCpuSeconds: Math.round(vegetaCpuSeconds * 100) / 100,
      latencyMs: {
        p50: ms(report.latencies['50th']),
        p95: ms(report.latencies['95th']),
        p99: ms(report.latencies['99th']),
        max: ms(report.latencies.max),
      },
    };
  } finally {
    await server.stop();
  }
}
