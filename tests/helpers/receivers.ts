// Real receivers on 127.0.0.1 for the subscription tests: an SMTP server (smtp-server, the same
// project as nodemailer) that keeps every message it accepts, parsed into headers, text and
// attachments; and an HTTP server that keeps every robot or webhook request and can be told to fail
// the next few, as a robot that is down would.
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { SMTPServer } from 'smtp-server';

export interface MailPart {
  headers: Record<string, string>;
  body: Buffer;
}

export interface ReceivedMail {
  from: string;
  to: string[];
  subject: string;
  text: string;
  attachments: { filename: string; contentType: string; content: Buffer }[];
}

/** RFC 2047 encoded words (=?UTF-8?B?...?= and =?UTF-8?Q?...?=), as nodemailer writes Chinese subjects. */
function decodeWords(s: string): string {
  return s.replace(/\?=\s+=\?/g, '?==?').replace(/=\?utf-8\?([bq])\?([^?]*)\?=/gi, (_, enc: string, data: string) =>
    enc.toLowerCase() === 'b' ? Buffer.from(data, 'base64').toString('utf8') : decodeQp(data.replaceAll('_', ' ')).toString('utf8'),
  );
}

function decodeQp(s: string): Buffer {
  const soft = s.replace(/=\r?\n/g, '');
  const bytes: number[] = [];
  for (let i = 0; i < soft.length; i++) {
    if (soft[i] === '=' && /^[0-9A-F]{2}$/i.test(soft.slice(i + 1, i + 3))) {
      bytes.push(parseInt(soft.slice(i + 1, i + 3), 16));
      i += 2;
    } else bytes.push(...Buffer.from(soft[i], 'utf8'));
  }
  return Buffer.from(bytes);
}

function parsePart(raw: string): MailPart {
  const split = raw.indexOf('\r\n\r\n');
  const head = raw.slice(0, split).replace(/\r\n[ \t]+/g, ' ');
  const headers: Record<string, string> = {};
  for (const line of head.split('\r\n')) {
    const i = line.indexOf(':');
    if (i > 0) headers[line.slice(0, i).toLowerCase()] = line.slice(i + 1).trim();
  }
  const text = raw.slice(split + 4);
  const enc = (headers['content-transfer-encoding'] ?? '').toLowerCase();
  const body = enc === 'base64' ? Buffer.from(text.replace(/\s+/g, ''), 'base64') : enc === 'quoted-printable' ? decodeQp(text) : Buffer.from(text, 'latin1');
  return { headers, body };
}

/** The leaf parts of a MIME message (enough for what nodemailer writes: multipart/mixed of text and files). */
function leaves(part: MailPart, raw: string): MailPart[] {
  const boundary = /boundary="?([^";]+)"?/i.exec(part.headers['content-type'] ?? '')?.[1];
  if (!boundary || !/^multipart\//i.test(part.headers['content-type'] ?? '')) return [part];
  const body = raw.slice(raw.indexOf('\r\n\r\n') + 4);
  return body
    .split(`--${boundary}`)
    .slice(1, -1)
    .map((chunk) => chunk.replace(/^\r\n/, '').replace(/\r\n$/, ''))
    .flatMap((chunk) => leaves(parsePart(chunk), chunk));
}

export function parseMail(raw: string, envelope: { from: string; to: string[] }): ReceivedMail {
  const top = parsePart(raw);
  const parts = leaves(top, raw);
  const text = parts.find((p) => /^text\/plain/i.test(p.headers['content-type'] ?? '') && !/attachment/i.test(p.headers['content-disposition'] ?? ''));
  return {
    ...envelope,
    subject: decodeWords(top.headers.subject ?? ''),
    text: text ? text.body.toString('utf8') : '',
    attachments: parts
      .filter((p) => /attachment/i.test(p.headers['content-disposition'] ?? ''))
      .map((p) => ({
        filename: decodeWords(/filename="?([^";]+)"?/i.exec(p.headers['content-disposition'])?.[1] ?? ''),
        contentType: (p.headers['content-type'] ?? '').split(';')[0],
        content: p.body,
      })),
  };
}

export interface MailReceiver {
  port: number;
  mails: ReceivedMail[];
  close(): Promise<void>;
}

/** An SMTP server on 127.0.0.1 without TLS or login, as a test relay. */
export async function startSmtp(): Promise<MailReceiver> {
  const mails: ReceivedMail[] = [];
  const server = new SMTPServer({
    disabledCommands: ['STARTTLS', 'AUTH'],
    logger: false,
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (c: Buffer) => chunks.push(c));
      stream.on('end', () => {
        const from = session.envelope.mailFrom ? session.envelope.mailFrom.address : '';
        mails.push(parseMail(Buffer.concat(chunks).toString('latin1'), { from, to: session.envelope.rcptTo.map((r) => r.address) }));
        callback();
      });
    },
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.server.address() as AddressInfo).port;
  return { port, mails, close: () => new Promise<void>((resolve) => server.close(() => resolve())) };
}

export interface ReceivedRequest {
  url: URL;
  headers: IncomingHttpHeaders;
  raw: string;
  body: Record<string, unknown>;
  /** the status this receiver answered */
  status: number;
}

export interface HttpReceiver {
  port: number;
  base: string;
  requests: ReceivedRequest[];
  /** answer the next n requests with 500 */
  failNext(n: number): void;
  close(): Promise<void>;
}

export async function startHttpReceiver(answer: (r: ReceivedRequest) => unknown = () => ({ errcode: 0, errmsg: 'ok' })): Promise<HttpReceiver> {
  const requests: ReceivedRequest[] = [];
  let failing = 0;
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const raw = Buffer.concat(chunks).toString('utf8');
      const status = failing > 0 ? 500 : 200;
      if (failing > 0) failing--;
      let body: Record<string, unknown> = {};
      try {
        body = JSON.parse(raw);
      } catch {
        /* kept as raw */
      }
      const r: ReceivedRequest = { url: new URL(req.url ?? '/', 'http://127.0.0.1'), headers: req.headers, raw, body, status };
      requests.push(r);
      res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(status === 200 ? answer(r) : { error: 'down' }));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  return {
    port,
    base: `http://127.0.0.1:${port}`,
    requests,
    failNext: (n) => (failing = n),
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
