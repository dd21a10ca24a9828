// `npm run autoscale-demo`: the worker HPA on a real Kubernetes control plane. Brings the stack
// up with its Kubernetes profile (or reuses the running one), installs the chart with its HPA on
// a task queue of the run's own, places orders faster than one worker drains them, and prints
// what the HPA controller, the Deployment and the worker processes did, second by second.
// Writes the run to .stack/autoscaler/transcript.json.
//
// The chart's scaling behaviour with shorter windows (--down-window, --period) and a smaller
// target and maximum, so a short run crosses them; the HPA controller syncs every
// STACK_HPA_SYNC_SECONDS (5 s by default; 15 s in a cluster).
import { spawnSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { createLogger } from '@orders/platform';
import { REPO_ROOT } from '@orders/stack/apps';
import { loadStackConfig } from '@orders/stack/config';
import { readEnvFile } from '@orders/stack/stack';
import { ensureHelm } from '@orders/stack/deploy-tools';
import { kubeTools } from '@orders/stack/kube';
import { runScenario } from './scenario';
import { demoAutoscaling } from './demo-values';
import { HEADER, printable, row } from './transcript';

const { values: args } = parseArgs({
  options: {
    orders: { type: 'string', default: '80' },
    rate: { type: 'string', default: '0' },
    target: { type: 'string', default: '3' },
    min: { type: 'string', default: '1' },
    max: { type: 'string', default: '4' },
    'down-window': { type: 'string', default: '15' },
    period: { type: 'string', default: '10' },
    'activity-slots': { type: 'string', default: '2' },
    timeout: { type: 'string', default: '600' },
  },
});
const num = (name: keyof typeof args): number => {
  const value = Number(args[name]);
  if (!Number.isFinite(value) || value < 0) throw new Error(`--${name} must be a non-negative number`);
  return value;
};

const OUT_DIR = path.join(REPO_ROOT, '.stack', 'autoscaler');
const logger = createLogger('autoscaler', process.env.LOG_LEVEL ?? 'warn');

function stackUp(): Record<string, string> {
  console.log('== stack: up --k8s (reuses a running stack) ==');
  const cli = path.join(REPO_ROOT, 'tools/stack/src/cli.ts');
  const up = spawnSync(process.execPath, ['--import', 'tsx', cli, 'up', '--k8s'], {
    stdio: 'inherit',
    cwd: REPO_ROOT,
  });
  if (up.status !== 0) throw new Error(`stack up --k8s failed (exit ${up.status})`);
  return readEnvFile(path.join(loadStackConfig().dir, 'stack.env'));
}

async function main(): Promise<void> {
  const stackEnv = stackUp();
  const config = loadStackConfig();
  const [tools, helm] = await Promise.all([kubeTools(config), ensureHelm(config.cacheDir)]);
  const autoscaling = demoAutoscaling({
    minReplicas: num('min'),
    maxReplicas: num('max'),
    targetBacklogPerPod: num('target'),
    downWindowSeconds: num('down-window'),
    periodSeconds: num('period'),
  });
  mkdirSync(OUT_DIR, { recursive: true });
  const logDir = path.join(OUT_DIR, 'logs', new Date().toISOString().replace(/[:.]/g, '-'));
  console.log(`\n== the chart's HPA on kube-apiserver ${stackEnv.KUBE_APISERVER_URL} ==`);
  console.log(JSON.stringify(autoscaling));
  console.log(`load: ${num('orders')} orders at ${num('rate') || 'once (burst)'}/s; logs in ${logDir}\n`);
  console.log(HEADER);
  const result = await runScenario({
    stackEnv,
    tools: { kubectl: tools.kubectl, helm, kubeconfig: stackEnv.KUBECONFIG ?? '' },
    logDir,
    logger,
    autoscaling,
    orders: num('orders'),
    ratePerSecond: num('rate'),
    workerSlots: { workflowTasks: 40, activities: num('activity-slots') },
    timeoutMs: num('timeout') * 1000,
    onSample: (s) => console.log(row(s)),
  });
  const file = path.join(OUT_DIR, 'transcript.json');
  writeFileSync(file, `${JSON.stringify({ autoscaling, ...result }, null, 2)}\n`);
  const { placed, rejected, completed, failed } = result.counts;
  console.log(`\n== transcript (rows where something changed) ==\n${printable(result.timeline)}`);
  console.log(
    `\norders placed ${placed} (rejected ${rejected}); sagas completed ${completed}, failed ${failed}; ` +
      `all finished at ${result.sagasFinishedAt}s, back to ${autoscaling.minReplicas} at ${result.scaledDownAt}s\n` +
      `transcript: ${path.relative(REPO_ROOT, file)}`,
  );
  if (failed > 0 || rejected > 0) process.exitCode = 1;
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
