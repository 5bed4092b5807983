// Sends a message on a subscription's channel. Email needs SMTP configured (SMTP_URL or SMTP_HOST);
// without it an email delivery fails with a message saying so, and is retried like any failure.
import type { Transporter } from 'nodemailer';
import type { SubscriptionRow } from '../appdb/subscriptions.ts';
import { sendEmail } from './email.ts';
import type { Message } from './message.ts';
import { sendDingtalk, sendFeishu, sendWecom } from './robots.ts';
import { sendWebhook } from './webhook.ts';

export interface Mailer {
  transport: Transporter;
  from: string;
}

export async function deliver(sub: SubscriptionRow, runId: number, m: Message, mailer: Mailer | null): Promise<Record<string, unknown>> {
  const url = sub.channel_url!;
  switch (sub.channel_kind) {
    case 'email': {
      if (!mailer) throw new Error('email is not configured: set SMTP_URL or SMTP_HOST (and MAIL_FROM) for the server');
      const { messageId } = await sendEmail(mailer.transport, mailer.from, sub.channel_to!, m);
      return { message_id: messageId };
    }
    case 'dingtalk':
      await sendDingtalk(url, sub.channel_secret, m);
      return {};
    case 'wecom':
      await sendWecom(url, m);
      return {};
    case 'feishu':
      await sendFeishu(url, sub.channel_secret, m);
      return {};
    case 'webhook':
      await sendWebhook(url, sub.channel_secret, m, { subscription_id: sub.id, run_id: runId, report: sub.report });
      return {};
  }
}
