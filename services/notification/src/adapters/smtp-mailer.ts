// SMTP through nodemailer: a small pool of kept-open connections, with timeouts short enough that
// a dead relay fails an attempt (to be retried) instead of stalling a Kafka partition.
import { SpanKind } from '@opentelemetry/api';
import nodemailer from 'nodemailer';
import type SMTPPool from 'nodemailer/lib/smtp-pool';
import { inSpan, readPem, type Logger } from '@orders/platform';
import type { NotificationConfig } from '../config';
import type { Mailer, OutgoingMail } from '../domain/mail';
import { PermanentDeliveryError } from '../domain/errors';

type SmtpSettings = Pick<
  NotificationConfig,
  | 'SMTP_HOST'
  | 'SMTP_PORT'
  | 'SMTP_SECURE'
  | 'SMTP_REQUIRE_TLS'
  | 'SMTP_TLS_CA_FILE'
  | 'SMTP_USER'
  | 'SMTP_PASSWORD'
  | 'MAIL_FROM'
>;

export function createMailer(config: SmtpSettings, logger: Logger): Mailer {
  const options: SMTPPool.Options = {
    pool: true,
    host: config.SMTP_HOST,
    port: config.SMTP_PORT,
    secure: config.SMTP_SECURE,
    // STARTTLS required: a relay that does not offer it fails the send instead of reading the
    // e-mail (and the password) in plain text.
    requireTLS: config.SMTP_REQUIRE_TLS,
    ...(config.SMTP_TLS_CA_FILE && { tls: { ca: [readPem('SMTP_TLS_CA_FILE', config.SMTP_TLS_CA_FILE)] } }),
    auth: config.SMTP_USER ? { user: config.SMTP_USER, pass: config.SMTP_PASSWORD ?? '' } : undefined,
    maxConnections: 2,
    maxMessages: 100,
    connectionTimeout: 10_000,
    greetingTimeout: 10_000,
    socketTimeout: 30_000,
  };
  const transport = nodemailer.createTransport(options, { from: config.MAIL_FROM });
  // An unhandled 'error' event would take the process down; a failed send is reported to its caller.
  transport.on('error', (err) => logger.warn({ err }, 'SMTP transport error'));

  return {
    // No instrumentation covers nodemailer: this span is the e-mail in the order's trace.
    send: (mail) =>
      inSpan(
        'notification-mailer',
        'smtp send',
        {
          kind: SpanKind.CLIENT,
          attributes: {
            'server.address': config.SMTP_HOST,
            'server.port': config.SMTP_PORT,
            'email.message_id': mail.messageId,
          },
        },
        () => deliver(mail),
      ),
    close: () => transport.close(),
  };

  async function deliver(mail: OutgoingMail): Promise<{ messageId: string }> {
    try {
      const info = await transport.sendMail({
        to: mail.to.name ? { name: mail.to.name, address: mail.to.address } : mail.to.address,
        subject: mail.subject,
        text: mail.text,
        html: mail.html,
        messageId: mail.messageId,
        headers: mail.headers,
      });
      return { messageId: info.messageId || mail.messageId };
    } catch (err) {
      const code = smtpResponseCode(err);
      // 5xx is the relay refusing this message for good (unknown mailbox, policy): retrying cannot help.
      if (code !== undefined && code >= 500 && code < 600)
        throw new PermanentDeliveryError(
          'mail-rejected',
          `SMTP relay rejected the message: ${err instanceof Error ? err.message : String(code)}`,
          { cause: err },
        );
      throw err;
    }
  }
}

function smtpResponseCode(err: unknown): number | undefined {
  if (typeof err !== 'object' || err === null || !('responseCode' in err)) return undefined;
  return typeof err.responseCode === 'number' ? err.responseCode : undefined;
}
