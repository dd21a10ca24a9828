// The mail catcher's messages to the customers in scope, with the headers the notification
// service sets (X-Order-Id, X-Order-Event-Id, X-Order-Event-Type), through mailpit's REST API.
import type { MailMessage } from '../model';
import { reading } from './source-error';

interface Summary {
  ID: string;
  MessageID: string;
  To: { Address: string }[] | null;
  Subject: string;
  Created: string;
}

const PAGE = 500;
const HEADER_READS_IN_PARALLEL = 8;
/** mailpit's receipt time and the orders database's clock may differ a little. */
const CLOCK_SLACK_MS = 60_000;

export async function readMail(
  mailpitUrl: string,
  options: { since: Date | null; recipients: ReadonlySet<string> },
  progress: (line: string) => void = () => undefined,
): Promise<MailMessage[]> {
  const base = mailpitUrl.replace(/\/$/, '');
  const get = async <T>(path: string): Promise<T> => {
    const res = await fetch(`${base}${path}`, { signal: AbortSignal.timeout(15_000) });
    if (!res.ok) throw new Error(`GET ${path} answered ${res.status}`);
    return (await res.json()) as T;
  };
  const oldest = options.since ? options.since.getTime() - CLOCK_SLACK_MS : null;

  const wanted = await reading('mailpit', `${base}/api/v1/messages`, async () => {
    // Keyed by id: a message arriving while paging shifts the pages by one.
    const found = new Map<string, Summary>();
    // Newest first: paging stops at the first message older than the scope.
    for (let start = 0; ; start += PAGE) {
      const page = await get<{ total: number; messages: Summary[] }>(
        `/api/v1/messages?start=${start}&limit=${PAGE}`,
      );
      let older = false;
      for (const m of page.messages) {
        if (oldest !== null && Date.parse(m.Created) < oldest) {
          older = true;
          break;
        }
        if ((m.To ?? []).some((to) => options.recipients.has(to.Address.toLowerCase()))) found.set(m.ID, m);
      }
      if (older || page.messages.length < PAGE || start + PAGE >= page.total) return [...found.values()];
    }
  });
  if (wanted.length > 200) progress(`mailpit: reading the headers of ${wanted.length} e-mails`);

  return reading('mailpit', 'message headers', async () => {
    const mails: MailMessage[] = [];
    let next = 0;
    const worker = async () => {
      while (next < wanted.length) {
        const summary = wanted[next++] as Summary;
        const headers = await get<Record<string, string[]>>(`/api/v1/message/${summary.ID}/headers`);
        const header = (name: string) =>
          Object.entries(headers).find(([key]) => key.toLowerCase() === name.toLowerCase())?.[1]?.[0] ?? null;
        mails.push({
          id: summary.ID,
          messageId: summary.MessageID,
          to: (summary.To ?? []).map((t) => t.Address.toLowerCase()),
          subject: summary.Subject,
          created: summary.Created,
          orderId: header('X-Order-Id'),
          eventId: header('X-Order-Event-Id'),
          eventType: header('X-Order-Event-Type'),
        });
      }
    };
    await Promise.all(Array.from({ length: HEADER_READS_IN_PARALLEL }, worker));
    return mails;
  });
}
