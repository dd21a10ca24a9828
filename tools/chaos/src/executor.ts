// Carries out the plan while the load runs: each event at its planned time (or after the one
// before it, whichever is later), one at a time per track. A kill is SIGKILL, a pause with the
// part down, then the stack's own restart; what happened is kept for the report.
import { sleep } from '@orders/stack/processes';
import type { StripeFaults } from './faults';
import type { Parts } from './parts';
import { describeEvent, type PlannedEvent } from './plan';

export interface KillRecord {
  part: string;
  killedAtMs: number;
  restartAtMs: number;
  readyAtMs: number;
  inFlightAtKill: number;
  error?: string;
}

export interface ExecutorContext {
  startedAtMs: number;
  parts: Parts;
  faults?: StripeFaults;
  faultProbability: number;
  /** Orders accepted and not yet terminal. */
  inFlight: () => number;
  downMs: number;
  stopped: () => boolean;
  log: (message: string) => void;
  /** What is happening now, for the progress line. */
  current: Set<string>;
  /** Just before a kill or a fault window: put sagas in flight for it to meet. */
  beforeFault?: () => Promise<void>;
}

const errorText = (err: unknown) => (err instanceof Error ? err.message.split('\n')[0]! : String(err));

/** Sleeps until `atMs` (epoch) in short steps, so a stopped run does not wait it out. */
async function sleepUntil(atMs: number, stopped: () => boolean): Promise<void> {
  while (!stopped() && Date.now() < atMs) await sleep(Math.min(250, atMs - Date.now()));
}

async function killAndRestart(
  ctx: ExecutorContext,
  part: Parameters<Parts['kill']>[0],
  downMs: number,
): Promise<KillRecord> {
  const inFlightAtKill = ctx.inFlight();
  const kill = await ctx.parts.kill(part);
  ctx.log(`SIGKILL ${part} (pids ${kill.pids.join(' ')}; ${inFlightAtKill} orders in flight)`);
  const record: KillRecord = {
    part,
    killedAtMs: kill.killedAtMs,
    restartAtMs: 0,
    readyAtMs: 0,
    inFlightAtKill,
  };
  // Down for the planned time even when the run is stopping: the restart below must still happen.
  await sleep(downMs);
  try {
    const { startedAtMs, readyAtMs } = await ctx.parts.restart(part);
    record.restartAtMs = startedAtMs;
    record.readyAtMs = readyAtMs;
    ctx.log(`${part} ready again, ${((readyAtMs - kill.killedAtMs) / 1000).toFixed(1)} s after the kill`);
  } catch (err) {
    record.error = `restart failed: ${errorText(err)}`;
    record.restartAtMs = record.readyAtMs = Date.now();
    ctx.log(`${part}: ${record.error}`);
  }
  return record;
}

export async function runTrack(
  events: PlannedEvent[],
  ctx: ExecutorContext,
  into: { kills: KillRecord[]; outages: KillRecord[] },
): Promise<void> {
  for (const event of events) {
    await sleepUntil(ctx.startedAtMs + event.atMs, ctx.stopped);
    if (ctx.stopped()) return;
    const label = describeEvent(event);
    ctx.current.add(label);
    try {
      switch (event.kind) {
        case 'kill':
          await ctx.beforeFault?.();
          into.kills.push(await killAndRestart(ctx, event.part, ctx.downMs));
          break;
        case 'smtp-outage':
          into.outages.push(await killAndRestart(ctx, 'mailpit', event.durationMs));
          break;
        case 'faults': {
          if (!ctx.faults) break;
          await ctx.beforeFault?.();
          const window = await ctx.faults.start(ctx.faultProbability);
          ctx.log(
            `Stripe faults on (${window.strategy}, p=${ctx.faultProbability} each): ${window.modes.join(', ')}`,
          );
          await sleepUntil(Date.now() + event.durationMs, ctx.stopped);
          await ctx.faults.stop();
          ctx.log(`Stripe faults off: hits ${JSON.stringify(window.hits)}`);
          break;
        }
      }
    } catch (err) {
      ctx.log(`${label} failed: ${errorText(err)}`);
      if (event.kind === 'kill')
        into.kills.push({
          part: event.part,
          killedAtMs: Date.now(),
          restartAtMs: Date.now(),
          readyAtMs: Date.now(),
          inFlightAtKill: ctx.inFlight(),
          error: errorText(err),
        });
    } finally {
      ctx.current.delete(label);
    }
  }
}
