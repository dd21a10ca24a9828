// The consistency audit (tools/audit), run as the operator runs it, scoped to this run: its
// orders (created since the run began, by its shoppers), its topic, its stock baseline.
// Exit 0: clean; 1: violations; anything else: the audit could not run.
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import type { AuditSummary } from './report';

const auditJson = z.object({
  ok: z.boolean(),
  violations: z.array(
    z.looseObject({
      check: z.string(),
      orderId: z.string().optional(),
      sku: z.string().optional(),
      detail: z.string(),
    }),
  ),
});

export function auditArgs(opts: {
  since: string;
  topic: string;
  stockBaseline: string;
  customerPrefix: string;
}): string[] {
  return [
    '--json',
    '--since',
    opts.since,
    '--topic',
    opts.topic,
    '--stock-baseline',
    opts.stockBaseline,
    '--require-terminal',
    // The final event and its e-mail leave just after the order record shows the outcome.
    '--wait-terminal',
    '120',
    '--customer-prefix',
    opts.customerPrefix,
  ];
}

/** Reads the audit's JSON answer (pure: the CLI's exit code and stdout). */
export function summariseAudit(exitCode: number | null, stdout: string, stderr: string): AuditSummary {
  const base = { exitCode, violations: 0, byCheck: {}, sample: [] };
  let parsed: z.infer<typeof auditJson> | undefined;
  try {
    parsed = auditJson.parse(JSON.parse(stdout.slice(stdout.indexOf('{'))));
  } catch {
    parsed = undefined;
  }
  if (!parsed || (exitCode !== 0 && exitCode !== 1)) {
    const message = (stderr.trim() || stdout.trim()).split('\n').slice(-3).join(' | ').slice(0, 300);
    return { ...base, status: 'error', message: `exit ${exitCode}: ${message}` };
  }
  const byCheck: Record<string, number> = {};
  for (const v of parsed.violations) byCheck[v.check] = (byCheck[v.check] ?? 0) + 1;
  const clean = exitCode === 0 && parsed.ok && parsed.violations.length === 0;
  return {
    ...base,
    status: clean ? 'ok' : 'violations',
    violations: parsed.violations.length,
    byCheck,
    sample: parsed.violations.slice(0, 12).map((v) => ({
      check: v.check,
      detail: v.detail,
      ...(v.orderId !== undefined ? { orderId: v.orderId } : {}),
      ...(v.sku !== undefined ? { sku: v.sku } : {}),
    })),
  };
}

export async function runAudit(opts: {
  repoRoot: string;
  env: Record<string, string>;
  args: string[];
  outFile?: string;
}): Promise<AuditSummary & { raw?: string }> {
  const cli = path.join(opts.repoRoot, 'tools/audit/src/cli.ts');
  if (!existsSync(cli))
    return {
      status: 'missing',
      exitCode: null,
      violations: 0,
      byCheck: {},
      sample: [],
      message: 'audit missing: tools/audit/src/cli.ts is not in this work tree',
    };
  const child = spawn(process.execPath, ['--import', 'tsx', cli, ...opts.args], {
    cwd: opts.repoRoot,
    env: { ...process.env, ...opts.env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const exitCode = await new Promise<number | null>((resolve) => child.once('close', resolve));
  return { ...summariseAudit(exitCode, stdout, stderr), raw: stdout };
}
