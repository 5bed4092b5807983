// Group-chat robots: DingTalk (钉钉), WeCom (企业微信) and Feishu/Lark (飞书). Each gets a short text with
// the key figures and a link; files are not sent to chats. Signatures as each platform documents them.
import { createHmac } from 'node:crypto';
import { postJson } from './http.ts';
import { markdownText, plainText, type Message } from './message.ts';

/** DingTalk: sign = urlencode(base64(HMAC-SHA256(key = secret, "timestamp\nsecret"))), timestamp in ms,
 * both appended to the webhook URL. */
export function dingtalkSign(secret: string, timestampMs: number): string {
  return encodeURIComponent(createHmac('sha256', secret).update(`${timestampMs}\n${secret}`).digest('base64'));
}

/** Feishu/Lark: sign = base64(HMAC-SHA256(key = "timestamp\nsecret", empty message)), timestamp in
 * seconds, both in the body. */
export function feishuSign(secret: string, timestampS: number): string {
  return createHmac('sha256', `${timestampS}\n${secret}`).update('').digest('base64');
}

export async function sendDingtalk(url: string, secret: string | null, m: Message, now = Date.now()): Promise<void> {
  const target = new URL(url);
  if (secret) {
    target.searchParams.set('timestamp', String(now));
    // Already urlencoded as DingTalk asks: appended as it is, not encoded a second time.
    target.search += `&sign=${dingtalkSign(secret, now)}`;
  }
  await postJson(target.toString(), { msgtype: 'markdown', markdown: { title: m.title, text: markdownText(m) } });
}

export async function sendWecom(url: string, m: Message): Promise<void> {
  await postJson(url, { msgtype: 'markdown', markdown: { content: markdownText(m) } });
}

export async function sendFeishu(url: string, secret: string | null, m: Message, now = Date.now()): Promise<void> {
  const timestamp = Math.floor(now / 1000);
  const signed = secret ? { timestamp: String(timestamp), sign: feishuSign(secret, timestamp) } : {};
  await postJson(url, { ...signed, msg_type: 'text', content: { text: plainText(m) } });
}
