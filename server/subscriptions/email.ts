// Email over SMTP (nodemailer): the text in the body, the report attached. The SMTP server comes from
// the environment (SMTP_URL or SMTP_HOST/PORT/USER/PASS, MAIL_FROM: see README).
import nodemailer, { type Transporter } from 'nodemailer';
import { plainText, type Message } from './message.ts';

export interface SmtpSettings {
  /** smtp://user:pass@host:port or smtps://... (takes precedence) */
  url?: string;
  host?: string;
  port?: number;
  /** TLS from the start (port 465); otherwise STARTTLS when the server offers it */
  secure?: boolean;
  user?: string;
  pass?: string;
  from: string;
}

export function smtpFromEnv(env: NodeJS.ProcessEnv): SmtpSettings | null {
  if (!env.SMTP_URL && !env.SMTP_HOST) return null;
  return {
    url: env.SMTP_URL || undefined,
    host: env.SMTP_HOST || undefined,
    port: env.SMTP_PORT ? Number(env.SMTP_PORT) : undefined,
    secure: env.SMTP_SECURE === '1',
    user: env.SMTP_USER || undefined,
    pass: env.SMTP_PASS || undefined,
    from: env.MAIL_FROM || '工会驾驶舱 <cockpit@localhost>',
  };
}

export function mailTransport(s: SmtpSettings): Transporter {
  if (s.url) return nodemailer.createTransport(s.url);
  return nodemailer.createTransport({
    host: s.host,
    port: s.port ?? (s.secure ? 465 : 587),
    secure: s.secure ?? false,
    auth: s.user ? { user: s.user, pass: s.pass ?? '' } : undefined,
    connectionTimeout: 15_000,
    greetingTimeout: 15_000,
    socketTimeout: 60_000,
  });
}

export async function sendEmail(transport: Transporter, from: string, to: string, m: Message): Promise<{ messageId: string }> {
  const info = await transport.sendMail({
    from,
    to,
    subject: m.title,
    text: plainText(m),
    attachments: m.file ? [{ filename: m.file.name, content: m.file.content, contentType: m.file.contentType }] : [],
  });
  return { messageId: info.messageId };
}
