// POST /api/auth/login, POST /api/auth/logout, GET /api/auth/me.
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { audit } from '../appdb/audit.ts';
import { checkCredentials } from '../appdb/users.ts';
import { ALL_ROLES, type Principal } from '../plugins/auth.ts';
import { ApiError, errorResponses } from '../plugins/errors.ts';
import { LoginBody, LogoutResponse, MeResponse } from '../schemas/auth.ts';

const me = (p: Principal) => ({ username: p.username, role: p.role, county_code: p.county_code, via: p.via });

export interface AuthRouteOptions {
  /** Login attempts per client address per minute. */
  loginPerMinute?: number;
}

const auth: FastifyPluginAsyncTypebox<AuthRouteOptions> = async (app, opts) => {
  app.post(
    '/api/auth/login',
    {
      schema: {
        tags: ['auth'],
        summary: 'Log in: sets an httpOnly session cookie',
        body: LoginBody,
        response: { 200: MeResponse, ...errorResponses(400, 401, 429) },
      },
      config: { roles: 'public', rateLimit: { max: opts.loginPerMinute ?? 10, timeWindow: '1 minute' } },
    },
    async (request, reply) => {
      const { username, password } = request.body;
      const user = await checkCredentials(app.appDb, username, password);
      if (!user) {
        audit(app.appDb, { actor: null, action: 'login_failed', target: username, ip: request.ip });
        throw new ApiError(401, 'invalid_credentials', 'wrong username or password, or the account is disabled');
      }
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
