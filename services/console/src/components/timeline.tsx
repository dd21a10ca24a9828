// The saga timeline: steps, compensations, refunds, domain events, e-mails and support actions
// on one time axis, oldest first. Each kind reads differently so a failure and its undo stand out.
import type { OrderTimeline, TimelineActivity } from '../api-types';
import { duration, money, time } from '../format';

interface Entry {
  at: string;
  kind: 'step' | 'compensation' | 'refund' | 'record' | 'event' | 'email' | 'support';
  title: string;
  outcome: string;
  lines: string[];
  key: string;
}

const KIND_LABEL: Record<Entry['kind'], string> = {
  step: 'Step',
  compensation: 'Compensation',
  refund: 'Refund',
  record: 'Record',
  event: 'Event',
  email: 'E-mail',
  support: 'Support',
};

function activityTitle(a: TimelineActivity): string {
  if (a.kind === 'step') return `${a.step ?? ''} — ${a.activity}`;
  if (a.kind === 'compensation') return `${a.activity} (undoes ${a.step ?? 'a step'})`;
  return a.activity;
}

export function timelineEntries(t: OrderTimeline, currency: string): Entry[] {
  const entries: Entry[] = [];
  t.activities.forEach((a, i) => {
    const took = duration(a.startedAt ?? a.scheduledAt, a.endedAt);
    entries.push({
      key: `a${i}`,
      at: a.scheduledAt,
      kind: a.kind,
      title: activityTitle(a),
      outcome: a.outcome,
      lines: [
        `scheduled ${time(a.scheduledAt)} · started ${time(a.startedAt)} · ended ${time(a.endedAt)}${took ? ` (${took})` : ''}`,
        ...(a.attempts > 1 ? [`${a.attempts} attempts`] : []),
        ...(a.failure ? [`last failure: ${a.failure}`] : []),
      ],
    });
  });
  for (const e of t.events)
    entries.push({
      key: `e${e.eventId}`,
      at: e.occurredAt,
      kind: 'event',
      title: e.type,
      outcome: e.status,
      lines: [`id ${e.eventId} · occurred ${time(e.occurredAt)} · published ${time(e.publishedAt)}`],
    });
  for (const m of t.emails)
    entries.push({
      key: `m${m.eventId}`,
      at: m.sentAt ?? m.createdAt,
      kind: 'email',
      title: m.subject ?? m.type,
      outcome: m.status.toLowerCase(),
      lines: [
        `to ${m.recipient} · for ${m.type} (${m.eventId}) · sent ${time(m.sentAt)}`,
        ...(m.attempts > 1 ? [`${m.attempts} attempts`] : []),
        ...(m.lastError ? [`last error: ${m.lastError}`] : []),
      ],
    });
  t.supportActions.forEach((s, i) =>
    entries.push({
      key: `s${i}`,
      at: s.requestedAt,
      kind: 'support',
      title: `${s.action}${s.amount !== null ? ` ${money(s.amount, currency)}` : ''} by ${s.actor}`,
      outcome: s.outcome,
      lines: [
        `reason: ${s.reason || '—'}`,
        ...(s.items.length
          ? [`items returned: ${s.items.map((x) => `${x.quantity} × ${x.sku}`).join(', ')}`]
          : []),
        `requested ${time(s.requestedAt)} via ${s.via}${s.completedAt ? ` · finished ${time(s.completedAt)}` : ''}`,
        ...(s.detail ? [s.detail] : []),
      ],
    }),
  );
  return entries.sort((a, b) => a.at.localeCompare(b.at));
}

export function Timeline({ timeline, currency }: { timeline: OrderTimeline; currency: string }) {
  const entries = timelineEntries(timeline, currency);
  const { sources } = timeline;
  return (
    <section aria-labelledby="timeline-heading" class="card">
      <h2 id="timeline-heading">Saga timeline</h2>
      {sources.history === 'unavailable' && (
        <p class="error" role="status">
          Temporal cannot be read right now: steps and events are missing below.
        </p>
      )}
      {sources.history === 'not-started' && <p class="help">The saga has not started yet.</p>}
      {sources.notifications === 'unavailable' && (
        <p class="error" role="status">
          The notification service cannot be read right now: e-mails are missing below.
        </p>
      )}
      <ol class="timeline" aria-label="Timeline, oldest first">
        {entries.map((e) => (
          <li key={e.key} class={`entry kind-${e.kind} outcome-${e.outcome}`} data-kind={e.kind}>
            <span class="when">{time(e.at)}</span>
            <span class="kind">{KIND_LABEL[e.kind]}</span>
            <span class="title">{e.title}</span>
            <span class={`badge outcome outcome-${e.outcome}`}>{e.outcome}</span>
            {e.lines.map((line, i) => (
              <span key={i} class="line">
                {line}
              </span>
            ))}
          </li>
        ))}
      </ol>
    </section>
  );
}
