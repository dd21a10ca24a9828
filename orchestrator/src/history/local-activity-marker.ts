// A local activity leaves no ActivityTaskScheduled event: Temporal's SDK core records each ended
// attempt as a marker holding the attempt's metadata (JSON) and its result, but not its
// arguments. Whatever reads a saga's history (the support console's timeline, the tests that
// check which steps ran locally) decodes those markers here.
import { defaultPayloadConverter } from '@temporalio/common';
import type { temporal } from '@temporalio/proto';

/** The marker name the SDK core gives a local activity's attempt. */
export const LOCAL_ACTIVITY_MARKER = 'core_local_activity';

type MarkerAttributes = temporal.api.history.v1.IMarkerRecordedEventAttributes;

export interface LocalActivityAttempt {
  activityType: string;
  activityId: string;
  attempt: number;
  /** The attempt failed and the next one waits (on a durable timer past the local threshold). */
  backoff: boolean;
  /** When the activity was first scheduled, on the worker's clock. */
  scheduledAt: string | null;
  /** Workflow time: the task's start on the server's clock plus the attempt's run. */
  completedAt: string | null;
  failure: temporal.api.failure.v1.IFailure | null;
  /** The activity's return value, when the attempt succeeded. */
  result: unknown;
}

/** The attempt a marker records, or undefined for any other marker (or one this cannot read). */
export function localActivityAttempt(
  marker: MarkerAttributes | null | undefined,
): LocalActivityAttempt | undefined {
  if (marker?.markerName !== LOCAL_ACTIVITY_MARKER) return undefined;
  const data = record(decode(marker.details?.data?.payloads?.[0]));
  const activityType = typeof data.activity_type === 'string' ? data.activity_type : undefined;
  if (!activityType) return undefined;
  return {
    activityType,
    activityId:
      typeof data.activity_id === 'string'
        ? data.activity_id
        : typeof data.seq === 'number'
          ? String(data.seq)
          : '',
    attempt: typeof data.attempt === 'number' ? data.attempt : 1,
    backoff: !!data.backoff,
    scheduledAt: isoOf(data.original_schedule_time),
    completedAt: isoOf(data.complete_time),
    failure: marker.failure ?? null,
    result: decode(marker.details?.result?.payloads?.[0]),
  };
}

function decode(payload: temporal.api.common.v1.IPayload | undefined): unknown {
  if (!payload) return undefined;
  try {
    return defaultPayloadConverter.fromPayload(payload);
  } catch {
    return undefined; // another encoding: read as unknown, never a crash of the reader
  }
}

const record = (value: unknown): Record<string, unknown> =>
  typeof value === 'object' && value !== null ? (value as Record<string, unknown>) : {};

/** A time in the marker's JSON: an RFC 3339 string, or seconds and nanos. */
function isoOf(value: unknown): string | null {
  if (typeof value === 'string')
    return Number.isNaN(Date.parse(value)) ? null : new Date(value).toISOString();
  const { seconds, nanos } = record(value);
  if (typeof seconds !== 'number') return null;
  return new Date(seconds * 1000 + Math.floor((typeof nanos === 'number' ? nanos : 0) / 1e6)).toISOString();
}
