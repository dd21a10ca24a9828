// The Kubernetes HorizontalPodAutoscaler's replica rule (autoscaling/v2, kube-controller-manager's
// podautoscaler: replica_calculator.go and horizontal.go), as a pure state machine over an explicit
// clock, so the local autoscaler makes the decisions the cluster's HPA would make on the same metric.
//
// One reconcile, as in the controller:
//   1. outside [min, max]: go to the nearest bound;
//   2. the metric's proposal: an External metric with an AverageValue target proposes
//      ceil(total / targetPerPod), unless total / (target x current) is within the tolerance of 1;
//   3. stabilisation: the proposal is recorded, then held between the LOWEST proposal of the
//      scale-up window and the HIGHEST of the scale-down window (so a rise must persist for the up
//      window and a fall for the down window before they act);
//   4. rate policies: no more than the selected policy allows relative to the replica count at the
//      start of each policy's period (counting the scale events inside it), and never past max/min.

export type PolicyType = 'Pods' | 'Percent';
export type SelectPolicy = 'Max' | 'Min' | 'Disabled';

export interface ScalingPolicy {
  type: PolicyType;
  value: number;
  periodSeconds: number;
}

export interface ScalingRules {
  stabilizationWindowSeconds: number;
  selectPolicy: SelectPolicy;
  policies: ScalingPolicy[];
}

export interface HpaBehavior {
  scaleUp: ScalingRules;
  scaleDown: ScalingRules;
}

export interface HpaSpec {
  minReplicas: number;
  maxReplicas: number;
  /** External metric, target type AverageValue: the metric total each replica should carry. */
  targetAverageValue: number;
  /** No change while the per-replica value is within this fraction of the target. */
  tolerance: number;
  behavior: HpaBehavior;
}

/** kube-controller-manager --horizontal-pod-autoscaler-tolerance. */
export const DEFAULT_TOLERANCE = 0.1;
/** kube-controller-manager --horizontal-pod-autoscaler-sync-period. */
export const DEFAULT_SYNC_PERIOD_SECONDS = 15;

/** What the API server fills in for omitted behavior fields (SetDefaults_HorizontalPodAutoscalerBehavior). */
export const DEFAULT_BEHAVIOR: HpaBehavior = {
  scaleUp: {
    stabilizationWindowSeconds: 0,
    selectPolicy: 'Max',
    policies: [
      { type: 'Pods', value: 4, periodSeconds: 15 },
      { type: 'Percent', value: 100, periodSeconds: 15 },
    ],
  },
  scaleDown: {
    // --horizontal-pod-autoscaler-downscale-stabilization
    stabilizationWindowSeconds: 300,
    selectPolicy: 'Max',
    policies: [{ type: 'Percent', value: 100, periodSeconds: 15 }],
  },
};

export interface PartialBehavior {
  scaleUp?: Partial<ScalingRules>;
  scaleDown?: Partial<ScalingRules>;
}

/** A behavior as the API server stores it: every omitted field takes its default, per direction. */
export function withDefaults(behavior: PartialBehavior = {}): HpaBehavior {
  const fill = (given: Partial<ScalingRules> | undefined, fallback: ScalingRules): ScalingRules => ({
    stabilizationWindowSeconds: given?.stabilizationWindowSeconds ?? fallback.stabilizationWindowSeconds,
    selectPolicy: given?.selectPolicy ?? fallback.selectPolicy,
    policies: (given?.policies ?? fallback.policies).map((p) => ({ ...p })),
  });
  return {
    scaleUp: fill(behavior.scaleUp, DEFAULT_BEHAVIOR.scaleUp),
    scaleDown: fill(behavior.scaleDown, DEFAULT_BEHAVIOR.scaleDown),
  };
}

/**
 * The same rule on a compressed clock: every window and policy period multiplied by `factor`, so
 * a demo shows in a minute what the cluster does in ten. Replica counts and targets are unchanged.
 */
export function compressTime(spec: HpaSpec, factor: number): HpaSpec {
  const rules = (r: ScalingRules): ScalingRules => ({
    ...r,
    stabilizationWindowSeconds: r.stabilizationWindowSeconds * factor,
    policies: r.policies.map((p) => ({ ...p, periodSeconds: p.periodSeconds * factor })),
  });
  return {
    ...spec,
    behavior: { scaleUp: rules(spec.behavior.scaleUp), scaleDown: rules(spec.behavior.scaleDown) },
  };
}

/**
 * GetExternalPerPodMetricReplicas: the replica count an External AverageValue metric asks for.
 * With zero current replicas the ratio is infinite (or NaN for a zero total), as in Go's floats.
 */
export function externalAverageValueReplicas(
  currentReplicas: number,
  metricTotal: number,
  targetAverageValue: number,
  tolerance: number,
): number {
  const usageRatio = metricTotal / (targetAverageValue * currentReplicas);
  if (!(Math.abs(1 - usageRatio) > tolerance)) return currentReplicas;
  return Math.ceil(metricTotal / targetAverageValue);
}

interface Recommendation {
  at: number;
  replicas: number;
}

interface ScaleEvent {
  at: number;
  change: number;
}

export type DecisionReason =
  | 'AboveMaxReplicas'
  | 'BelowMinReplicas'
  | 'MetricUnavailable'
  | 'DesiredWithinRange'
  | 'ScaleUpStabilized'
  | 'ScaleDownStabilized'
  | 'ScaleUpLimit'
  | 'TooManyReplicas'
  | 'ScaleDownLimit'
  | 'TooFewReplicas';

export interface Decision {
  currentReplicas: number;
  /** What the metric alone asks for (before stabilisation and policies); null when not computed. */
  proposal: number | null;
  /** The proposal after the stabilisation windows. */
  stabilized: number | null;
  desiredReplicas: number;
  reason: DecisionReason;
}

export interface ReconcileInput {
  /** Milliseconds on any monotonic-enough clock; only differences matter. */
  now: number;
  currentReplicas: number;
  /** The metric total; undefined when it could not be read (the HPA then holds). */
  metricTotal: number | undefined;
}

/** One HPA object's controller state: its recommendation history and recent scale events. */
export class HorizontalAutoscaler {
  private recommendations: Recommendation[] = [];
  private readonly scaleUpEvents: ScaleEvent[] = [];
  private readonly scaleDownEvents: ScaleEvent[] = [];

  constructor(readonly spec: HpaSpec) {
    if (spec.minReplicas < 1 || spec.maxReplicas < spec.minReplicas)
      throw new Error(`invalid replica bounds: min ${spec.minReplicas}, max ${spec.maxReplicas}`);
    if (!(spec.targetAverageValue > 0)) throw new Error('targetAverageValue must be positive');
  }

  reconcile({ now, currentReplicas, metricTotal }: ReconcileInput): Decision {
    const { minReplicas, maxReplicas } = this.spec;
    let decision: Decision;
    if (currentReplicas > maxReplicas) {
      decision = this.fixed(currentReplicas, maxReplicas, 'AboveMaxReplicas');
    } else if (currentReplicas < minReplicas) {
      decision = this.fixed(currentReplicas, minReplicas, 'BelowMinReplicas');
    } else if (metricTotal === undefined || !Number.isFinite(metricTotal)) {
      decision = this.fixed(currentReplicas, currentReplicas, 'MetricUnavailable');
    } else {
      const { targetAverageValue, tolerance } = this.spec;
      const proposal = externalAverageValueReplicas(
        currentReplicas,
        metricTotal,
        targetAverageValue,
        tolerance,
      );
      const stabilized = this.stabilize(now, currentReplicas, proposal);
      const limited = this.limitRate(now, currentReplicas, stabilized.replicas);
      decision = {
        currentReplicas,
        proposal,
        stabilized: stabilized.replicas,
        desiredReplicas: limited.replicas,
        reason:
          limited.reason ?? (stabilized.replicas !== proposal ? stabilized.reason : 'DesiredWithinRange'),
      };
    }
    if (decision.desiredReplicas !== currentReplicas)
      this.recordScaleEvent(now, currentReplicas, decision.desiredReplicas);
    return decision;
  }

  private fixed(currentReplicas: number, desiredReplicas: number, reason: DecisionReason): Decision {
    return { currentReplicas, proposal: null, stabilized: null, desiredReplicas, reason };
  }

  /** stabilizeRecommendationWithBehaviors. */
  private stabilize(
    now: number,
    currentReplicas: number,
    proposal: number,
  ): { replicas: number; reason: DecisionReason } {
    const { scaleUp, scaleDown } = this.spec.behavior;
    const upCutoff = now - scaleUp.stabilizationWindowSeconds * 1000;
    const downCutoff = now - scaleDown.stabilizationWindowSeconds * 1000;
    let upRecommendation = proposal;
    let downRecommendation = proposal;
    for (const rec of this.recommendations) {
      if (rec.at > upCutoff) upRecommendation = Math.min(upRecommendation, rec.replicas);
      if (rec.at > downCutoff) downRecommendation = Math.max(downRecommendation, rec.replicas);
    }
    let replicas = currentReplicas;
    if (replicas < upRecommendation) replicas = upRecommendation;
    if (replicas > downRecommendation) replicas = downRecommendation;

    // The controller overwrites samples older than both windows; dropping them is the same.
    const oldest = Math.min(upCutoff, downCutoff);
    this.recommendations = this.recommendations.filter((rec) => rec.at >= oldest);
    this.recommendations.push({ at: now, replicas: proposal });
    return { replicas, reason: proposal >= currentReplicas ? 'ScaleUpStabilized' : 'ScaleDownStabilized' };
  }

  /** convertDesiredReplicasWithBehaviorRate. */
  private limitRate(
    now: number,
    currentReplicas: number,
    desired: number,
  ): { replicas: number; reason?: DecisionReason } {
    const { minReplicas, maxReplicas, behavior } = this.spec;
    if (desired > currentReplicas) {
      const limit = Math.max(this.scaleUpLimit(now, currentReplicas, behavior.scaleUp), currentReplicas);
      const allowed = Math.min(maxReplicas, limit);
      const reason: DecisionReason = maxReplicas > limit ? 'ScaleUpLimit' : 'TooManyReplicas';
      return desired > allowed ? { replicas: allowed, reason } : { replicas: desired };
    }
    if (desired < currentReplicas) {
      const limit = Math.min(this.scaleDownLimit(now, currentReplicas, behavior.scaleDown), currentReplicas);
      const allowed = Math.max(minReplicas, limit);
      const reason: DecisionReason = minReplicas < limit ? 'ScaleDownLimit' : 'TooFewReplicas';
      return desired < allowed ? { replicas: allowed, reason } : { replicas: desired };
    }
    return { replicas: desired };
  }

  /** calculateScaleUpLimitWithScalingRules: the most replicas the policies allow now. */
  private scaleUpLimit(now: number, currentReplicas: number, rules: ScalingRules): number {
    if (rules.selectPolicy === 'Disabled') return currentReplicas;
    const pick = rules.selectPolicy === 'Min' ? Math.min : Math.max;
    let result = rules.selectPolicy === 'Min' ? Number.POSITIVE_INFINITY : Number.NEGATIVE_INFINITY;
    for (const policy of rules.policies) {
      const start = this.periodStartReplicas(now, currentReplicas, policy.periodSeconds);
      const proposed =
        policy.type === 'Pods'
          ? start + policy.value
          : // Rounded up so that a small percentage of a small count still adds a replica.
            Math.ceil(start * (1 + policy.value / 100));
      result = pick(result, proposed);
    }
    return result;
  }

  /** calculateScaleDownLimitWithBehaviors: the fewest replicas the policies allow now. */
  private scaleDownLimit(now: number, currentReplicas: number, rules: ScalingRules): number {
    if (rules.selectPolicy === 'Disabled') return currentReplicas;
    // For scaling down the smallest change is the largest count, so Min picks the maximum.
    const pick = rules.selectPolicy === 'Min' ? Math.max : Math.min;
    let result = rules.selectPolicy === 'Min' ? Number.NEGATIVE_INFINITY : Number.POSITIVE_INFINITY;
    for (const policy of rules.policies) {
      const start = this.periodStartReplicas(now, currentReplicas, policy.periodSeconds);
      const proposed =
        policy.type === 'Pods'
          ? start - policy.value
          : // Go's int32(float64) conversion truncates.
            Math.trunc(start * (1 - policy.value / 100));
      result = pick(result, proposed);
    }
    return result;
  }

  /** The replica count when the policy's period began: undo the scale events inside it. */
  private periodStartReplicas(now: number, currentReplicas: number, periodSeconds: number): number {
    const cutoff = now - periodSeconds * 1000;
    const within = (events: ScaleEvent[]) =>
      events.filter((e) => e.at > cutoff).reduce((sum, e) => sum + e.change, 0);
    return currentReplicas - within(this.scaleUpEvents) + within(this.scaleDownEvents);
  }

  /**
   * storeScaleEvent: an event older than its direction's longest policy period is outdated, and
   * the next event of that direction takes its slot (one slot per event, as the controller does).
   */
  private recordScaleEvent(now: number, from: number, to: number): void {
    const up = to > from;
    const rules = up ? this.spec.behavior.scaleUp : this.spec.behavior.scaleDown;
    const events = up ? this.scaleUpEvents : this.scaleDownEvents;
    const cutoff = now - Math.max(0, ...rules.policies.map((p) => p.periodSeconds)) * 1000;
    const event = { at: now, change: Math.abs(to - from) };
    let slot = -1;
    events.forEach((e, i) => {
      if (e.at < cutoff) slot = i;
    });
    if (slot >= 0) events[slot] = event;
    else events.push(event);
  }
}
