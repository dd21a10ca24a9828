// An e-mail as the notification domain writes it, the port that sends it
// (adapters/smtp-mailer.ts over SMTP), and the Message-ID that makes a re-send recognisable.
import { createHash } from 'node:crypto';

export interface OutgoingMail {
  to: { address: string; name?: string };
  subject: string;
  text: string;
  html: string;
  /** A full Message-ID including the angle brackets; see `messageIdFor`. */
  messageId: string;
  headers: Record<string, string>;
}

export interface Mailer {
  send(mail: OutgoingMail): Promise<{ messageId: string }>;
  close(): void;
}

const MESSAGE_ID_DOMAIN = 'orders.local';
const MAX_LOCAL_PART = 200;

/**
 * A Message-ID derived from the event id, so a re-sent e-mail carries the same id and mail systems
 * downstream can drop it too. Characters outside a safe set are hex-escaped with `=` (itself
 * escaped), which keeps distinct event ids distinct; overlong ids are hashed.
 */
export function messageIdFor(eventId: string): string {
  const local = Array.from(Buffer.from(eventId, 'utf8'))
    .map((byte) => {
      const char = String.fromCharCode(byte);
      return /[A-Za-z0-9_-]/.test(char) ? char : `=${byte.toString(16).toUpperCase().padStart(2, '0')}`;
    })
    .join('');
  const safe =
    local.length <= MAX_LOCAL_PART ? local : `sha256-${createHash('sha256').update(eventId).digest('hex')}`;
  return `<${safe}@${MESSAGE_ID_DOMAIN}>`;
}
