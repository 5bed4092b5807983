// The subscriptions page's form logic (web/views/analyst/subscriptions/model.ts): the request body it
// makes holds only what the report and the channel take, and a subscription's latest run reads right.
import { describe, expect, it } from 'vitest';
import { emptyForm, lastState, subscriptionBody, type SubscriptionForm } from '../../web/views/analyst/subscriptions/model.ts';

const form = (f: Partial<SubscriptionForm>): SubscriptionForm => ({ ...emptyForm(), ...f });

describe('subscriptionBody', () => {
  it('a briefing by email on the monthly preset: no params, the preset cron, the addresses trimmed', () => {
    expect(subscriptionBody(form({ to: ' a@union.test, b@union.test ' }))).toEqual({
      report: 'briefing',
      params: {},
      schedule: '0 8 1 * *',
      channel: { kind: 'email', to: 'a@union.test, b@union.test' },
    });
  });

  it('rankings take the set; a unit typed for another report is left out; the default format is not sent', () => {
    expect(subscriptionBody(form({ report: 'rankings', set: 'reform88', unit: '450102', format: 'xlsx', to: 'x@union.test' })).params).toEqual({ set: 'reform88' });
    expect(subscriptionBody(form({ report: 'rankings', set: 'county47', format: 'pdf', to: 'x@union.test' })).params).toEqual({ set: 'county47', format: 'pdf' });
  });

  it('a robot gets url and secret, never to; a custom cron is sent as typed', () => {
    const body = subscriptionBody(form({ report: 'scorecard', unit: ' 450102 ', format: 'pdf', preset: 'custom', cron: ' 0 7 * * 1 ', channel: 'dingtalk', to: 'ignored@x.cn', url: 'https://oapi.dingtalk.com/robot/send?access_token=t', secret: 'SEC1' }));
    expect(body).toEqual({
      report: 'scorecard',
      params: { unit: '450102' },
      schedule: '0 7 * * 1',
      channel: { kind: 'dingtalk', url: 'https://oapi.dingtalk.com/robot/send?access_token=t', secret: 'SEC1' },
    });
  });

  it('no secret typed: none sent', () => {
    expect(subscriptionBody(form({ report: 'alerts', preset: 'workdays', channel: 'wecom', url: 'https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=k' })).channel).toEqual({
      kind: 'wecom',
      url: 'https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=k',
    });
  });
});

describe('lastState', () => {
  const run = (status: 'pending' | 'sent' | 'quiet' | 'failed', attempts: number, errors: (string | null)[]) => ({
    id: 1,
    trigger: 'manual' as const,
    due_at: '2026-12-01T00:00:00.000Z',
    status,
    attempts,
    next_attempt_at: null,
    deliveries: errors.map((error, i) => ({ at: `2026-12-01T00:00:0${i}.000Z`, outcome: error ? ('failed' as const) : status === 'quiet' ? ('quiet' as const) : ('sent' as const), error })),
  });
  it('never run, waiting, sent, quiet, retrying with the last error, failed', () => {
    expect(lastState({ runs: [] })).toEqual({ state: 'never', at: null, error: null });
    expect(lastState({ runs: [run('pending', 0, [])] }).state).toBe('pending');
    expect(lastState({ runs: [run('sent', 2, ['HTTP 500', null])] })).toEqual({ state: 'sent', at: '2026-12-01T00:00:01.000Z', error: null });
    expect(lastState({ runs: [run('quiet', 1, [null])] }).state).toBe('quiet');
    expect(lastState({ runs: [run('pending', 1, ['HTTP 502'])] })).toEqual({ state: 'retrying', at: '2026-12-01T00:00:00.000Z', error: 'HTTP 502' });
    expect(lastState({ runs: [run('failed', 6, ['a', 'b', 'c'])] }).error).toBe('c');
  });
});
