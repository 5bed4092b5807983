// POST /api/auth/login, POST /api/auth/logout, GET /api/auth/me.
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { audit } from '../appdb/audit.ts';
import { normaliseUsername } from '../appdb/usernames.ts';
import { checkCredentials } from '../appdb/users.ts';
import { ALL_ROLES, type Principal } from '../plugins/auth.ts';
import { ApiError, errorResponses } from '../plugins/errors.ts';
import { LoginBody, LogoutResponse, MeResponse } from '../schemas/auth.ts';
import { LoginThrottle } from './login-throttle.ts';

const me = (p: Principal) => ({ username: p.username, role: p.role, county_code: p.county_code, via: p.via });

export interface AuthRouteOptions {
  /** Failed logins per client address per minute before its wrong passwords get 429 (right ones pass). */
  loginPerMinute?: number;
  /** Failed logins per account within 15 minutes before it is locked for 15 minutes. */
  loginFailuresPerAccount?: number;
}

/** "3 min" / "40 s": when to try again, for the message beside Retry-After. */
const waitText = (ms: number) => (ms >= 90_000 ? `${Math.ceil(ms / 60_000)} min` : `${Math.ceil(ms / 1000)} s`);

const tooMany = (why: string, ms: number) =>
  new ApiError(429, 'rate_limited', `${why}: try again in ${waitText(ms)}`, undefined, { 'retry-after': String(Math.ceil(ms / 1000)) });

const auth: FastifyPluginAsyncTypebox<AuthRouteOptions> = async (app, opts) => {
  const perAddress = opts.loginPerMinute ?? 10;
  const throttle = new LoginThrottle({ perAddress, perAccount: opts.loginFailuresPerAccount ?? 5 });

  app.post(
    '/api/auth/login',
    {
      schema: {
        tags: ['auth'],
        summary: 'Log in: sets an httpOnly session cookie',
        body: LoginBody,
        response: { 200: MeResponse, ...errorResponses(400, 401, 429) },
      },
      // Every attempt costs a password hash, so attempts of any outcome are capped per address too,
      // well above what an office of colleagues needs.
      config: { roles: 'public', rateLimit: { max: perAddress * 6, timeWindow: '1 minute' } },
    },
    async (request, reply) => {
      const { username, password } = request.body;
      // Valid names are at most 32 characters: longer ones are cut for the counters and the log.
      const account = normaliseUsername(username).slice(0, 64);
      const locked = throttle.accountLockedFor(account);
      if (locked > 0) {
        audit(app.appDb, { actor: null, action: 'login_failed', target: account, detail: { reason: 'account_locked' }, ip: request.ip });
        throw tooMany('too many failed logins for this account', locked);
      }
      const held = throttle.addressHeldFor(request.ip);
      const user = await checkCredentials(app.appDb, username, password);
      if (!user) {
        throttle.failed(account, request.ip);
        audit(app.appDb, { actor: null, action: 'login_failed', target: account, ip: request.ip });
        if (held > 0) throw tooMany('too many failed logins from this address', held);
        throw new ApiError(401, 'invalid_credentials', 'wrong username or password, or the account is disabled');
      }
      throttle.succeeded(account);
      app.startSession(reply, user.id);
      audit(app.appDb, { actor: user.username, action: 'login', ip: request.ip });
      reply.header('cache-control', 'no-store');
      return { user: { username: user.username, role: user.role, county_code: user.county_code, via: 'session' as const } };
    },
  );

  app.post(
    '/api/auth/logout',
    {
      schema: {
        tags: ['auth'],
        summary: 'End the session (a display token stays valid until revoked)',
        response: { 200: LogoutResponse, ...errorResponses(401) },
      },
      config: { roles: ALL_ROLES },
    },
    async (request, reply) => {
      const p = request.principal!;
      if (p.via === 'session') {
        app.endSession(request, reply);
        audit(app.appDb, { actor: p.username, action: 'logout', ip: request.ip });
      }
      return { ok: true };
    },
  );

  app.get(
    '/api/auth/me',
    {
      schema: {
        tags: ['auth'],
        summary: 'Who is calling',
        response: { 200: MeResponse, ...errorResponses(401) },
      },
      config: { roles: ALL_ROLES },
    },
    async (request, reply) => {
      reply.header('cache-control', 'no-store');
      return { user: me(request.principal!) };
    },
  );
};

export default auth;
