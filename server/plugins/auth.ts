// Who is calling, and may they? Sessions (signed httpOnly SameSite=Strict cookie naming a server-side
// session row) for people, display tokens (?token= or Authorization: Bearer) for wall screens.
// Deny by default: every route states `config.roles` (or 'public'); a route without one is refused
// for everybody. County users are bound to their county: a unit/code/county parameter naming any
// other unit is refused unless the route declares `countyScope: 'any'` (the ranking tables).
import type { IncomingHttpHeaders } from 'node:http';
import cookie from '@fastify/cookie';
import type { FastifyReply, FastifyRequest, RouteOptions } from 'fastify';
import fp from 'fastify-plugin';
import { ROLES, type AppDb, type Role } from '../appdb/db.ts';
import { createSession, deleteSession, sessionUser } from '../appdb/sessions.ts';
import { changeWatch } from '../appdb/changes.ts';
import { findLiveToken, touchToken, type DisplayToken } from '../appdb/tokens.ts';
import { ApiError, forbidden } from './errors.ts';

export const SESSION_COOKIE = 'uc_session';

export interface Principal {
  username: string;
  role: Role;
  county_code: string | null;
  via: 'session' | 'token';
}

export type AccessRule = readonly Role[] | 'public';

declare module 'fastify' {
  interface FastifyContextConfig {
    /** Who may call this route. Required: a route without it is refused. */
    roles?: AccessRule;
    /** 'any' lets county users name other units (only the aggregated ranking tables). */
    countyScope?: 'own' | 'any';
  }
  interface FastifyRequest {
    principal: Principal | null;
  }
  interface FastifyInstance {
    appDb: AppDb;
    /** Every route with its access rule, as registered: the source of the role x route test matrix. */
    accessRules(): { method: string; url: string; roles: AccessRule | undefined; countyScope: 'own' | 'any' }[];
    startSession(reply: FastifyReply, userId: number): void;
    endSession(request: FastifyRequest, reply: FastifyReply): void;
    /** The caller these raw headers name, if already known and still valid; null otherwise. */
    knownCaller(headers: IncomingHttpHeaders): Principal | null;
  }
}

export const ALL_ROLES: readonly Role[] = ROLES;

interface Known {
  principal: Principal;
  /** When the session or token expires (ms since the epoch). */
  until: number;
  /** The display token's row, whose last use is recorded once a minute. */
  token?: DisplayToken;
}

const MAX_KNOWN = 10_000;

/** Parameters that name a unit; county users may only name their own county in them. */
const UNIT_PARAMS = ['unit', 'code', 'county'] as const;

export interface AuthOptions {
  appDb: AppDb;
  sessionSecret: string;
  sessionTtlMs?: number;
  secureCookies?: boolean;
}

/** The token of an `Authorization: Bearer` header, if any. */
function headerToken(headers: IncomingHttpHeaders): string | undefined {
  const h = headers.authorization;
  return h?.startsWith('Bearer ') ? h.slice(7).trim() : undefined;
}

function bearer(request: FastifyRequest): string | undefined {
  const h = headerToken(request.headers);
  if (h !== undefined) return h;
  const q = (request.query as Record<string, unknown> | undefined)?.token;
  return typeof q === 'string' ? q : undefined;
}

export default fp<AuthOptions>(
  async (app, opts) => {
    const db = opts.appDb;
    const ttl = opts.sessionTtlMs ?? 12 * 3600_000;
    // No cookie-parsing hook: a repeat caller is recognised by its Cookie header as sent (below), so
    // most requests parse no cookies at all; the session cookie is read when the header is new.
    await app.register(cookie, { secret: opts.sessionSecret, hook: false });
    app.decorate('appDb', db);
    app.decorateRequest('principal', null);

    const routes: RouteOptions[] = [];
    app.addHook('onRoute', (route) => {
      routes.push(route);
    });
    // HEAD routes mirror GET ones (same options): the rule table lists each route once.
    app.decorate('accessRules', () =>
      routes.flatMap((r) =>
        [r.method]
          .flat()
          .filter((method) => method !== 'HEAD')
          .map((method) => ({
            method,
            url: r.url,
            roles: r.config?.roles,
            countyScope: r.config?.countyScope ?? ('own' as const),
          })),
      ),
    );

    app.decorate('startSession', (reply: FastifyReply, userId: number) => {
      const id = createSession(db, userId, ttl);
      reply.setCookie(SESSION_COOKIE, id, {
        signed: true,
        httpOnly: true,
        sameSite: 'strict',
        secure: opts.secureCookies ?? false,
        path: '/',
        maxAge: Math.floor(ttl / 1000),
      });
    });
    app.decorate('endSession', (request: FastifyRequest, reply: FastifyReply) => {
      const id = sessionId(request);
      if (id) deleteSession(db, id);
      reply.clearCookie(SESSION_COOKIE, { path: '/' });
    });

    /** The request's cookies, parsed on first use (the cookie plugin parses none by itself). */
    function cookies(request: FastifyRequest): Record<string, string | undefined> {
      request.cookies ??= request.headers.cookie ? app.parseCookie(request.headers.cookie) : {};
      return request.cookies;
    }

    function sessionId(request: FastifyRequest): string | undefined {
      const raw = cookies(request)[SESSION_COOKIE];
      if (!raw) return undefined;
      const { valid, value } = request.unsignCookie(raw);
      return valid && value ? value : undefined;
    }

    /** Who presents this token or session cookie, and until when, from the application database. */
    function lookup(request: FastifyRequest, token: string | undefined): Known | undefined {
      if (token) {
        const t = findLiveToken(db, token);
        if (!t) return undefined;
        const until = t.expires_at ? Date.parse(t.expires_at) : Infinity;
        return { principal: { username: `display:${t.name}`, role: 'display', county_code: null, via: 'token' }, until, token: t };
      }
      const id = sessionId(request);
      const found = id ? sessionUser(db, id) : undefined;
      if (!found) return undefined;
      const { user, expiresAt } = found;
      return { principal: { username: user.username, role: user.role, county_code: user.county_code, via: 'session' }, until: expiresAt };
    }

    // Principals by credential, so a repeat request costs no HMAC, hash or lookup, only a look at
    // whether the application database changed. Any change empties the maps: a logout, a disabled
    // user, a new password or a revoked token counts from the next request when this process made
    // it, within 0.1 s when the users CLI or another replica did. Sessions are keyed by the Cookie
    // header as sent: a repeat request (a wall, a page's next call) is found without parsing its
    // cookies or checking the signature.
    const byToken = new Map<string, Known>();
    const byCookie = new Map<string, Known>();
    const changed = changeWatch(db);

    /** The remembered caller presenting this token (else this Cookie header), if still valid. */
    function remembered(token: string | undefined, cookieHeader: string | undefined): Known | undefined {
      if (changed()) {
        byToken.clear();
        byCookie.clear();
      }
      const hit = token ? byToken.get(token) : cookieHeader && byCookie.get(cookieHeader);
      if (!hit || hit.until <= Date.now()) return undefined;
      if (hit.token) touchToken(db, hit.token);
      return hit;
    }

    function authenticate(request: FastifyRequest): Principal | null {
      const token = bearer(request) || undefined;
      const key = token ?? request.headers.cookie;
      if (!key || (!token && !key.includes(SESSION_COOKIE))) return null;
      const known = remembered(token, request.headers.cookie);
      if (known) return known.principal;
      const hit = lookup(request, token);
      if (!hit) return null; // unknown credentials are not kept: guessing must not fill memory
      const map = token ? byToken : byCookie;
      if (map.size >= MAX_KNOWN) map.clear();
      map.set(key, hit);
      if (hit.token) touchToken(db, hit.token);
      return hit.principal;
    }

    // For answers sent before Fastify routes (server/early-answer.ts): a caller already known by
    // its Authorization header or Cookie header as sent, or null (then Fastify authenticates it).
    // A display token in the URL is left to Fastify.
    app.decorate('knownCaller', (headers: IncomingHttpHeaders): Principal | null => {
      const token = headerToken(headers) || undefined;
      return remembered(token, token ? undefined : headers.cookie)?.principal ?? null;
    });

    // Callback-style hooks (no promise per request): they are on every request's path.
    app.addHook('onRequest', (request, _reply, done) => {
      if (request.is404) return done();
      const config = request.routeOptions.config;
      const rule = config.roles;
      request.principal = authenticate(request);
      if (rule === 'public') return done();
      if (!rule) return done(forbidden('this endpoint has no access rule and is refused to everybody'));
      if (!request.principal) return done(new ApiError(401, 'unauthenticated', 'log in (POST /api/auth/login) or present a display token'));
      if (!rule.includes(request.principal.role)) {
        return done(forbidden(`role ${request.principal.role} may not call ${request.method} ${config.url}`));
      }
      done();
    });

    // After validation, so a county user's parameters are checked as the handler will read them.
    // An optional unit parameter left out means the province (never "the caller's county": cached
    // responses depend on the URL alone), so a county user must name its county in it.
    app.addHook('preHandler', (request, _reply, done) => {
      const p = request.principal;
      if (p?.role !== 'county') return done();
      done(countyRefusal(request, p));
    });

    /** Why a county user may not ask this (a parameter naming another unit, or none), or nothing. */
    function countyRefusal(request: FastifyRequest, p: Principal): ApiError | undefined {
      if (request.routeOptions.config.countyScope === 'any') return;
      const sources = [request.query, request.params] as (Record<string, unknown> | undefined)[];
      for (const source of sources) {
        for (const name of UNIT_PARAMS) {
          const v = source?.[name];
          if (v !== undefined && v !== p.county_code) {
            return forbidden(`a county account sees only its own county (${p.county_code})`, name);
          }
        }
      }
      const declared = (request.routeOptions.schema?.querystring as { properties?: Record<string, unknown> } | undefined)?.properties ?? {};
      for (const name of UNIT_PARAMS) {
        if (name in declared && (request.query as Record<string, unknown> | undefined)?.[name] === undefined) {
          return forbidden(`a county account sees only its own county: give ${name}=${p.county_code}`, name);
        }
      }
    }
  },
  { name: 'auth', dependencies: ['errors'] },
);
