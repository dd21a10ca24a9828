// Requests Node's HTTP parser refuses before express sees them (a NUL or control byte in a
// header, a malformed request line): answered as problem+json naming the offending header,
// like every other 400, instead of Node's bare "400 Bad Request" with no body.
import { STATUS_CODES, type Server } from 'node:http';
import type { Duplex } from 'node:stream';
import { PROBLEM_JSON } from './middleware';

interface ParserError extends Error {
  code?: string;
  rawPacket?: Buffer;
}

export function answerClientErrors(server: Server): void {
  server.on('clientError', (err: ParserError, socket: Duplex) => {
    // A response already under way on this connection cannot be followed by another one.
    const inFlight = (socket as Duplex & { _httpMessage?: { headersSent?: boolean } })._httpMessage;
    if (err.code === 'ECONNRESET' || !socket.writable || inFlight?.headersSent) {
      socket.destroy();
      return;
    }
    const status = statusOf(err.code);
    const header = status === 400 ? offendingHeader(err.rawPacket) : undefined;
    const title = status === 400 ? 'Invalid request' : (STATUS_CODES[status] ?? 'Bad request');
    const body = JSON.stringify({
      type: `urn:problem:${title.toLowerCase().replace(/[^a-z0-9]+/g, '-')}`,
      title,
      status,
      detail: header
        ? `header ${header} holds a byte HTTP does not allow (NUL or another control character)`
        : 'the request could not be parsed as HTTP/1.1',
      ...(header
        ? { errors: [{ field: header, message: 'must not contain NUL or control characters' }] }
        : {}),
    });
    socket.end(
      `HTTP/1.1 ${status} ${STATUS_CODES[status]}\r\nContent-Type: ${PROBLEM_JSON}\r\n` +
        `Content-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`,
    );
  });
}

function statusOf(code: string | undefined): number {
  if (code === 'HPE_HEADER_OVERFLOW') return 431;
  if (code === 'ERR_HTTP_REQUEST_TIMEOUT') return 408;
  return 400;
}

/** The name of the first header line holding a control byte (HTAB is allowed), if there is one. */
function offendingHeader(raw: Buffer | undefined): string | undefined {
  if (!raw) return undefined;
  const lines = raw.toString('latin1').split('\r\n');
  for (const line of lines.slice(1)) {
    if (line === '') break;
    // eslint-disable-next-line no-control-regex -- control bytes are what is looked for
    if (!/[\u0000-\u0008\u000a-\u001f\u007f]/.test(line)) continue;
    const colon = line.indexOf(':');
    const name = colon > 0 ? line.slice(0, colon).trim() : '';
    return /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/.test(name) ? name : '(header name)';
  }
  return undefined;
}
