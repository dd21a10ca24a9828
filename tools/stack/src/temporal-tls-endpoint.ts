// A TLS front for the Temporal dev server (which has no TLS of its own), shaped like the
// endpoints the services meet in production: it serves the stack CA's certificate over HTTP/2,
// requires a client certificate signed by that CA (mTLS, as a self-hosted cluster or Temporal
// Cloud's certificate auth does), and, when given API keys, refuses a call without
// `Authorization: Bearer <key>` the way Temporal Cloud does (gRPC UNAUTHENTICATED). Every gRPC
// stream is forwarded to the dev server's plain-text port, trailers included.
import http2 from 'node:http2';
import { readFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';

export interface TemporalTlsEndpointOptions {
  /** host:port of the dev server's gRPC port. */
  upstream: string;
  ca: string;
  cert: string;
  key: string;
  /** When set, each call must carry one of these as a bearer token. */
  apiKeys?: string[];
}

export interface TemporalTlsEndpoint {
  address: string;
  /** Calls refused for a missing or wrong API key, and calls forwarded. */
  counts: { refused: number; forwarded: number };
  close(): Promise<void>;
}

const HOP_BY_HOP = new Set([':authority', ':scheme', 'connection', 'keep-alive', 'transfer-encoding']);

export async function startTemporalTlsEndpoint(
  options: TemporalTlsEndpointOptions,
): Promise<TemporalTlsEndpoint> {
  const upstream = http2.connect(`http://${options.upstream}`);
  upstream.on('error', () => undefined); // each stream reports its own failure
  const counts = { refused: 0, forwarded: 0 };
  const server = http2.createSecureServer({
    ca: readFileSync(options.ca),
    cert: readFileSync(options.cert),
    key: readFileSync(options.key),
    requestCert: true,
    rejectUnauthorized: true,
    allowHTTP1: false,
  });
  server.on('stream', (stream, headers) => {
    const auth = headers.authorization;
    if (options.apiKeys && !options.apiKeys.some((k) => auth === `Bearer ${k}`)) {
      counts.refused++;
      // A trailers-only response: gRPC status 16 UNAUTHENTICATED.
      stream.respond(
        {
          ':status': 200,
          'content-type': 'application/grpc',
          'grpc-status': '16',
          'grpc-message': 'invalid API key',
        },
        { endStream: true },
      );
      return;
    }
    counts.forwarded++;
    const forwarded = Object.fromEntries(Object.entries(headers).filter(([k]) => !HOP_BY_HOP.has(k)));
    const call = upstream.request(forwarded);
    let trailers: http2.OutgoingHttpHeaders = {};
    call.on('response', (responseHeaders: http2.IncomingHttpHeaders) => {
      // Trailers-only answers (an error status in the headers) must keep their status at the end too.
      const status = responseHeaders['grpc-status'];
      if (status !== undefined)
        trailers = { 'grpc-status': status, 'grpc-message': responseHeaders['grpc-message'] ?? '' };
      stream.respond(responseHeaders, { waitForTrailers: true });
    });
    call.on('trailers', (t: http2.IncomingHttpHeaders) => {
      trailers = { ...t };
    });
    stream.on('wantTrailers', () => stream.sendTrailers(trailers));
    call.on('error', (err: Error) => {
      if (!stream.headersSent) {
        stream.respond(
          {
            ':status': 200,
            'content-type': 'application/grpc',
            'grpc-status': '14',
            'grpc-message': err.message,
          },
          { endStream: true },
        );
      } else stream.close(http2.constants.NGHTTP2_INTERNAL_ERROR);
    });
    stream.on('close', () => {
      if (!call.closed) call.close(http2.constants.NGHTTP2_CANCEL);
    });
    stream.pipe(call);
    call.pipe(stream);
  });
  server.on('sessionError', () => undefined);
  const sessions = new Set<http2.ServerHttp2Session>();
  server.on('session', (session) => {
    sessions.add(session);
    session.on('close', () => sessions.delete(session));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    address: `127.0.0.1:${port}`,
    counts,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        // Open client sessions (a worker's long polls) would hold close() forever.
        for (const session of sessions) session.destroy();
        upstream.destroy();
      }),
  };
}
