// A subscription's channel: checked when it is made (a 400 naming channel.<field>) and shown masked.
// Robot and webhook URLs carry their access token and secrets sign messages: neither is ever sent back
// in full. The server only posts to the robots' own hosts (https) and to hosts the operator allowed
// (SUBSCRIPTION_HOSTS): an analyst cannot make it call an address inside the network.
import { badParameter, echo } from '../plugins/errors.ts';
import type { Channel, ChannelKind, SubscriptionRow } from '../appdb/subscriptions.ts';

/** Each robot's own hosts (https only). */
export const ROBOT_HOSTS: Partial<Record<ChannelKind, string[]>> = {
  dingtalk: ['oapi.dingtalk.com'],
  wecom: ['qyapi.weixin.qq.com'],
  feishu: ['open.feishu.cn', 'open.larksuite.com'],
};

const EMAIL = /^[^\s@<>,;"]+@[^\s@<>,;"]+\.[^\s@<>,;"]+$/;

/** The channel as given, checked; `allowedHosts` are the operator's extra hosts (host or host:port). */
export function checkChannel(c: Channel, allowedHosts: readonly string[]): Channel {
  if (c.kind === 'email') {
    if (!c.to) throw badParameter('channel.to', 'is required for email: one or more addresses, comma-separated');
    const addresses = c.to.split(',').map((a) => a.trim());
    const bad = addresses.find((a) => !EMAIL.test(a));
    if (bad !== undefined) throw badParameter('channel.to', `${echo(bad)} is not an email address`);
    if (c.url !== undefined || c.secret !== undefined) throw badParameter(c.url !== undefined ? 'channel.url' : 'channel.secret', 'is not used by email');
    return { kind: 'email', to: addresses.join(', ') };
  }
  if (c.to !== undefined) throw badParameter('channel.to', `is for email; a ${c.kind} channel takes url (and secret)`);
  if (!c.url) throw badParameter('channel.url', `is required for ${c.kind}: the robot's or receiver's webhook address`);
  let url: URL;
  try {
    url = new URL(c.url);
  } catch {
    throw badParameter('channel.url', `${echo(c.url)} is not a URL`);
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') throw badParameter('channel.url', 'must be an http(s) address');
  if (url.username || url.password) throw badParameter('channel.url', 'must not carry a user name or password');
  const robotHosts = ROBOT_HOSTS[c.kind] ?? [];
  const official = robotHosts.includes(url.hostname) && url.protocol === 'https:' && url.port === '';
  if (!official && !allowedHosts.includes(url.host) && !allowedHosts.includes(url.hostname)) {
    const own = robotHosts.length ? `https://${robotHosts.join(' or https://')}, or ` : '';
    throw badParameter('channel.url', `the server posts only to ${own}hosts the operator allowed (SUBSCRIPTION_HOSTS); ${echo(url.host)} is not one`);
  }
  if (c.secret !== undefined && !/^[\x21-\x7e]{1,200}$/.test(c.secret)) throw badParameter('channel.secret', 'must be 1 to 200 printable characters without spaces');
  return { kind: c.kind, url: url.toString(), ...(c.secret ? { secret: c.secret } : {}) };
}

/** https://oapi.dingtalk.com/…a1b2: the host shows where it goes, the tail tells two robots apart. */
export function maskUrl(url: string): string {
  const u = new URL(url);
  const rest = `${u.pathname}${u.search}`;
  return `${u.protocol}//${u.host}/…${rest.length > 8 ? rest.slice(-4) : ''}`;
}

export function maskedChannel(s: SubscriptionRow) {
  return {
    kind: s.channel_kind,
    to: s.channel_to,
    url: s.channel_url ? maskUrl(s.channel_url) : null,
    secret_set: s.channel_secret !== null,
  };
}
