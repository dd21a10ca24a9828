// The control loop of a one-object HPA controller: every sync period, read the metric, reconcile
// (src/hpa.ts) and set the scale target's replica count, recording each step in a timeline.
// Ticks never overlap: the next one is scheduled after the previous one finished.
import type { Logger } from '@orders/platform';
import type { DecisionReason, HorizontalAutoscaler } from './hpa';
import type { ScaleTarget } from './worker-pool';

export interface Sample {
  /** Seconds since the loop started. */
  t: number;
  /** The metric total read this sync; null when it could not be read. */
  backlog: number | null;
  /** Replicas before this sync's decision (existing and not terminating), and how many were ready. */
  workers: number;
  ready: number;
  /** What the metric alone asked for, and the count set after stabilisation and policies. */
  proposal: number | null;
  desired: number;
  reason: DecisionReason;
  /** Whatever else the caller records alongside (orders placed, sagas finished...). */
  extra?: Record<string, number>;
}

export interface AutoscalerOptions {
  hpa: HorizontalAutoscaler;
  target: ScaleTarget;
  readMetric: () => Promise<number | undefined>;
  syncPeriodMs: number;
  logger: Logger;
  extra?: () => Record<string, number>;
  onSample?: (sample: Sample) => void;
  now?: () => number;
}

export class Autoscaler {
  readonly timeline: Sample[] = [];
  private readonly now: () => number;
  private startedAt = 0;
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<void> | undefined;
  private stopped = true;

  constructor(private readonly options: AutoscalerOptions) {
    this.now = options.now ?? (() => performance.now());
  }

  start(): void {
    if (!this.stopped) return;
    this.stopped = false;
    this.startedAt = this.now();
    this.schedule(0);
  }

  /** Ends the loop after the tick in progress, if any; the target keeps its current size. */
  async stop(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.timer);
    await this.running;
  }

  /** One sync: read, reconcile, scale. Exposed so a caller can drive the loop by hand. */
  async tick(): Promise<Sample> {
    const { hpa, target, readMetric, logger } = this.options;
    const backlog = await readMetric();
    const now = this.now();
    const workers = target.replicas;
    const decision = hpa.reconcile({ now, currentReplicas: workers, metricTotal: backlog });
    if (decision.desiredReplicas !== workers) {
      logger.info(
        {
          from: workers,
          to: decision.desiredReplicas,
          backlog,
          proposal: decision.proposal,
          reason: decision.reason,
        },
        decision.desiredReplicas > workers ? 'scaling up' : 'scaling down',
      );
      await target.scaleTo(decision.desiredReplicas);
    }
    const sample: Sample = {
      t: Math.round((now - this.startedAt) / 100) / 10,
      backlog: backlog ?? null,
      workers,
      ready: target.readyReplicas,
      proposal: decision.proposal,
      desired: decision.desiredReplicas,
      reason: decision.reason,
      ...(this.options.extra ? { extra: this.options.extra() } : {}),
    };
    this.timeline.push(sample);
    this.options.onSample?.(sample);
    return sample;
  }

  private schedule(delayMs: number): void {
    this.timer = setTimeout(() => {
      const started = this.now();
      this.running = this.tick()
        .then(
          () => undefined,
          (err: unknown) => this.options.logger.error({ err }, 'autoscaler sync failed'),
        )
        .finally(() => {
          if (!this.stopped) this.schedule(Math.max(0, this.options.syncPeriodMs - (this.now() - started)));
        });
    }, delayMs);
  }
}
