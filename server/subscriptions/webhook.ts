// The generic JSON webhook: the message as JSON with the file in base64. With a secret, the body is
// signed (X-Union-Cockpit-Signature: sha256=<hex HMAC-SHA256 of "timestamp.body">) so the receiver
// can tell it came from us and is fresh.
import { createHmac } from 'node:crypto';
import { postJson } from './http.ts';
import type { Message } from './message.ts';

export interface WebhookContext {
  subscription_id: number;
  run_id: number;
  report: string;
}

export function webhookBody(m: Message, ctx: WebhookContext) {
  return {
    ...ctx,
    title: m.title,
    lines: m.lines,
    link: m.link,
    file: m.file ? { name: m.file.name, content_type: m.file.contentType, size: m.file.content.length, base64: m.file.content.toString('base64') } : null,
  };
}

export function webhookSignature(secret: string, timestampMs: number, body: string): string {
  return `sha256=${createHmac('sha256', secret).update(`${timestampMs}.${body}`).digest('hex')}`;
}

export async function sendWebhook(url: string, secret: string | null, m: Message, ctx: WebhookContext, now = Date.now()): Promise<void> {
  const body = JSON.stringify(webhookBody(m, ctx));
  const headers: Record<string, string> = secret
    ? { 'x-union-cockpit-timestamp': String(now), 'x-union-cockpit-signature': webhookSignature(secret, now, body) }
    : {};
  await postJson(url, body, headers);
}
