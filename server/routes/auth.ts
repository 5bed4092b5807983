// POST /api/auth/login, POST /api/auth/logout, GET /api/auth/me.
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { audit } from '../appdb/audit.ts';
import { checkCredentials } from '../appdb/users.ts';
import { ALL_ROLES, type Principal } from '../plugins/auth.ts';
import { ApiError, errorResponses } from '../plugins/errors.ts';

const Me = Type.Object({
  username: Type.String(),
  role: Type.Enum(['leader', 'analyst', 'county', 'display', 'admin']),
  county_code: Type.Union([Type.String(), Type.Null()], { description: 'the county a county user is bound to' }),
  via: Type.Enum(['session', 'token']),
});

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
        body: Type.Object({
          username: Type.String({ minLength: 1, maxLength: 100, description: 'the account name' }),
          password: Type.String({ minLength: 1, maxLength: 200, description: 'the password' }),
        }),
        response: { 200: Type.Object({ user: Me }), ...errorResponses(400, 401, 429) },
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
        response: { 200: Type.Object({ ok: Type.Boolean() }), ...errorResponses(401) },
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
        response: { 200: Type.Object({ user: Me }), ...errorResponses(401) },
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
