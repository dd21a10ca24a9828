// The stack's mail catcher (mailpit) as the tests read it: search, read one message, delete.
// One client, so every test asks mailpit the same way and gets the same typed answers.

export interface MailSummary {
  ID: string;
  MessageID: string;
  Subject: string;
  To: { Name: string; Address: string }[];
}

export interface MailMessage extends MailSummary {
  Text: string;
  HTML: string;
}

export interface MailpitClient {
  /** Messages matching a mailpit search (`to:"a@b"`, `subject:"..."`), newest first. */
  search(query: string): Promise<MailSummary[]>;
  /** Every message sent to `address`. */
  to(address: string): Promise<MailSummary[]>;
  read(id: string): Promise<MailMessage>;
  delete(ids: string[]): Promise<void>;
}

export function mailpitClient(baseUrl: string): MailpitClient {
  const json = async <T>(what: string, res: Response): Promise<T> => {
    if (!res.ok) throw new Error(`mailpit ${what} answered ${res.status}`);
    return (await res.json()) as T;
  };
  const search = async (query: string) =>
    (
      await json<{ messages: MailSummary[] }>(
        'search',
        await fetch(`${baseUrl}/api/v1/search?query=${encodeURIComponent(query)}`),
      )
    ).messages;
  return {
    search,
    to: (address) => search(`to:"${address}"`),
    read: async (id) => json<MailMessage>('message', await fetch(`${baseUrl}/api/v1/message/${id}`)),
    async delete(ids) {
      const res = await fetch(`${baseUrl}/api/v1/messages`, {
        method: 'DELETE',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ IDs: ids }),
      });
      if (!res.ok) throw new Error(`mailpit delete answered ${res.status}`);
    },
  };
}
