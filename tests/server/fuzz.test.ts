// Every endpoint fuzzed with invalid and extreme input, as an analyst and as a county user. The routes
// and their parameters come from the app itself (accessRules() and the OpenAPI document), so a new
// route is fuzzed without a change here. Each parameter of a request that otherwise works is replaced
// by hostile values (fixed lists and fast-check), repeated, left out or sent with broken
// percent-encoding; odd extra keys, other methods and malformed JSON bodies are sent too. Always: no
// 5xx, every error in the one JSON shape, nothing of the server's insides in a body, and a 400 names
// the parameter at fault.
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { answerProblems, anyValue, encode, errorOf, NEVER_VALID, ODD_KEYS, RAW, EDGE, type Answer } from './hostile.ts';
import { buildTestApp } from './helpers.ts';
import { multipart } from '../helpers/multipart.ts';

// A built web app beside the API, so its page and asset routes are fuzzed too.
const dist = await mkdtemp(path.join(tmpdir(), 'uc-fuzz-web-'));
await mkdir(path.join(dist, 'assets'));
await writeFile(path.join(dist, 'index.html'), '<!doctype html><title>工会驾驶舱</title>');
await writeFile(path.join(dist, 'assets', 'app-1.js'), 'console.log(1)');
const env = await buildTestApp({ webDist: dist });
const app = env.app;
afterAll(async () => {
  await rm(dist, { recursive: true, force: true });
  console.log(`fuzz cases per route:\n${[...counts].map(([r, n]) => `  ${String(n).padStart(5)}  ${r}`).join('\n')}`);
});

type Role = 'analyst' | 'county';
const ACCOUNTS: Record<Role, string> = { analyst: 'analyst', county: 'county-450102' };
const cookies: Record<Role, string> = { analyst: await env.login(ACCOUNTS.analyst), county: await env.login(ACCOUNTS.county) };

/** A submission of the county user's (checked by the ETL worker, one row rejected), for the :id routes. */
const upload = multipart(
  { name: 'fuzz.csv', content: 'case_id,county_code,received_date,closed_date,dispute_type,channel,outcome,workers,amount_yuan\nF1,450102,2023-05-01,2023-05-02,wages,union,success,1,\nF2,450102,2023-05-01,2023-05-02,wages,union,succes,1,\n' },
);
const uploaded = await app.inject({ method: 'POST', url: '/api/submissions', payload: upload.payload, headers: { ...upload.headers, cookie: cookies.county, 'x-requested-with': 'fetch' } });
if (uploaded.statusCode !== 201) throw new Error(`fuzz set-up: the county's upload answered ${uploaded.statusCode} ${uploaded.body.slice(0, 200)}`);

/** Two subscriptions of the analyst's: one for "send now", one to delete (an email nobody receives: no SMTP here). */
const subscribe = async () => {
  const res = await app.inject({
    method: 'POST',
    url: '/api/subscriptions',
    payload: { report: 'rankings', params: { set: 'county47' }, schedule: '0 8 1 * *', channel: { kind: 'email', to: 'fuzz@union.test' } },
    headers: { cookie: cookies.analyst, 'x-requested-with': 'fetch' },
  });
  if (res.statusCode !== 201) throw new Error(`fuzz set-up: a subscription answered ${res.statusCode} ${res.body.slice(0, 200)}`);
  return String(res.json().id);
};
/** Per route, values that differ from EXAMPLES (the :id of a subscription route is a subscription's; a wall page and its charts are a city's). */
const ROUTE_EXAMPLES: Record<string, Record<string, string>> = {
  'GET /api/wall': { unit: '450100' },
  'GET /api/wall/charts': { unit: '450100' },
  'POST /api/subscriptions/:id/run': { id: await subscribe() },
  'DELETE /api/subscriptions/:id': { id: await subscribe() },
};

/** A value each parameter accepts from both roles (the county user's own county as the unit). */
const EXAMPLES: Record<string, string> = {
  id: String(uploaded.json().id),
  county: '450102',
  stream: 'mediation',
  unit: '450102',
  code: '450102',
  from: '2023-01',
  to: '2023-03',
  period: '2023-03',
  city: '450100',
  year: '2023',
  limit: '5',
};

interface Param {
  name: string;
  in: 'query' | 'path';
  required: boolean;
  /** Declared in the OpenAPI document (validated), rather than a hidden route's wildcard. */
  declared: boolean;
  example?: string;
}
interface Route {
  method: string;
  url: string;
  roles: readonly string[] | 'public';
  params: Param[];
  body: boolean;
}

type OpenApiParam = { in: string; name: string; required?: boolean; schema?: { enum?: string[] } };
const doc = app.swagger() as { paths: Record<string, Record<string, { parameters?: OpenApiParam[]; requestBody?: unknown }>> };

const routes: Route[] = app.accessRules().map((r) => {
  const op = doc.paths[r.url.replace(/:(\w+)/g, '{$1}')]?.[r.method.toLowerCase()];
  const params: Param[] = (op?.parameters ?? []).map((p) => ({
    name: p.name,
    in: p.in === 'path' ? 'path' : 'query',
    required: p.required === true,
    declared: true,
    example: p.schema?.enum?.[0] ?? ROUTE_EXAMPLES[`${r.method} ${r.url}`]?.[p.name] ?? EXAMPLES[p.name],
  }));
  // Hidden routes (the docs' and the web app's files) are not in the document: their wildcard.
  if (!op && r.url.endsWith('*')) params.push({ name: '*', in: 'path', required: true, declared: false, example: 'wall' });
  return { method: r.method, url: r.url, roles: r.roles ?? [], params, body: r.method === 'POST' };
});

const counts = new Map<string, number>();

type Value = { text: string } | { raw: string } | { repeated: string[] } | 'absent';
const show = (v: Value) => (v === 'absent' ? '(left out)' : JSON.stringify(v).slice(0, 80));

/** The route's working request with `param` replaced by `value` (and optionally an extra key). */
function requestUrl(route: Route, param?: string, value?: Value, extra?: [string, string]): string {
  let url = route.url;
  const query: string[] = [];
  for (const p of route.params) {
    const v: Value | undefined = p.name === param ? value : p.example === undefined ? undefined : { text: p.example };
    if (v === undefined) continue;
    if (v === 'absent') {
      if (p.in === 'path') url = url.replace(p.name === '*' ? '*' : `:${p.name}`, '');
      continue;
    }
    const parts = 'text' in v ? [encode(v.text)] : 'raw' in v ? [v.raw] : v.repeated.map(encode);
    if (p.in === 'path') url = url.replace(p.name === '*' ? '*' : `:${p.name}`, parts[0]);
    else for (const part of parts) query.push(`${encode(p.name)}=${part}`);
  }
  if (extra) query.push(`${encode(extra[0])}=${encode(extra[1])}`);
  return query.length ? `${url}?${query.join('&')}` : url;
}

async function send(route: Route, role: Role, url: string, method = route.method, more: { payload?: string | Buffer; headers?: Record<string, string> } = {}) {
  counts.set(`${route.method} ${route.url}`, (counts.get(`${route.method} ${route.url}`) ?? 0) + 1);
  // as the cockpit sends it: the reporting routes that change state want X-Requested-With
  const res = await app.inject({ method: method as 'GET', url, payload: more.payload, headers: { cookie: cookies[role], 'x-requested-with': 'fetch', ...more.headers } });
  return res as unknown as Answer;
}

/** A request that reaches the logout handler ends the session: sign in again. */
async function keepSession(role: Role) {
  if ((await app.inject({ url: '/api/auth/me', headers: { cookie: cookies[role] } })).statusCode === 401) cookies[role] = await env.login(ACCOUNTS[role]);
}

const allowed = (route: Route, role: Role) => route.roles === 'public' || route.roles.includes(role);

/**
 * Problems with the answer to `route` with `param` set to `value`. `strict`: the value is invalid for
 * every declared parameter, so it must be refused, and a 400 must name exactly this parameter.
 */
function problems(route: Route, role: Role, param: Param, value: Value, res: Answer, strict: boolean): string[] {
  const out = answerProblems(res).map((p) => `${role} ${route.method} ${route.url} ${param.name}=${show(value)}: ${p}`);
  if (out.length || !param.declared) return out;
  const where = `${role} ${route.method} ${route.url} ${param.name}=${show(value)}: ${res.statusCode} ${res.body.slice(0, 160)}`;
  if (res.statusCode < 400) return strict && allowed(route, role) ? [`accepted: ${where}`] : [];
  const error = errorOf(res);
  if (res.statusCode === 400 && error.code === 'bad_request') {
    // A path value that is no valid URL segment never reaches the route: the URL is at fault.
    const named = param.in === 'path' ? error.field === undefined || error.field === param.name : strict ? error.field === param.name : route.params.some((p) => p.name === error.field);
    if (!named) out.push(`400 does not name the parameter: ${where}`);
  }
  return out;
}

const dataRoutes = routes.filter((r) => r.params.some((p) => p.declared));

describe.each(['analyst', 'county'] as const)('as %s', (role) => {
  it('every declared route has a working request to start from (else the fuzz proves nothing)', async () => {
    const broken: string[] = [];
    for (const route of dataRoutes) {
      const missing = route.params.filter((p) => p.required && p.example === undefined);
      if (missing.length) broken.push(`${route.url}: add an example for ${missing.map((p) => p.name).join(', ')}`);
      const res = await send(route, role, requestUrl(route));
      // 409: a submission step its state no longer allows (the example submission moves on) is past the checks
      const ok = allowed(route, role) ? res.statusCode < 400 || res.statusCode === 409 : res.statusCode === 403;
      if (!ok) broken.push(`${route.url}: ${res.statusCode} ${res.body.slice(0, 120)}`);
    }
    expect(broken).toEqual([]);
    expect(dataRoutes.length).toBeGreaterThanOrEqual(13);
  });

  it.each(routes.filter((r) => r.params.length).map((r) => [`${r.method} ${r.url}`, r] as const))('%s: every parameter, fixed hostile values', async (_, route) => {
    const found: string[] = [];
    for (const param of route.params) {
      const cases: [Value, boolean][] = [
        ...NEVER_VALID.map((text): [Value, boolean] => [{ text }, true]),
        ...EDGE.map((text): [Value, boolean] => [{ text }, false]),
        ...RAW.map((raw): [Value, boolean] => [{ raw }, false]),
        [{ repeated: [param.example ?? 'x', param.example ?? 'x'] }, param.in === 'query'],
        [{ repeated: ['450102', '450103'] }, param.in === 'query'],
        [{ repeated: NEVER_VALID.slice(0, 20) }, param.in === 'query'],
      ];
      if (param.required) cases.push(['absent', param.in === 'query']);
      for (const [value, strict] of cases) {
        const res = await send(route, role, requestUrl(route, param.name, value));
        found.push(...problems(route, role, param, value, res, strict));
      }
    }
    expect(found).toEqual([]);
  });

  it.each(routes.filter((r) => r.params.length).map((r) => [`${r.method} ${r.url}`, r] as const))('%s: every parameter, fast-check values', async (_, route) => {
    for (const param of route.params) {
      const value: fc.Arbitrary<Value> = fc.oneof(
        anyValue.map((text) => ({ text })),
        fc.array(anyValue, { minLength: 2, maxLength: 4 }).map((repeated) => ({ repeated })),
      );
      await fc.assert(
        fc.asyncProperty(value, async (v) => {
          const res = await send(route, role, requestUrl(route, param.name, v));
          expect(problems(route, role, param, v, res, false)).toEqual([]);
        }),
        { numRuns: 25 },
      );
    }
  });

  it.each(routes.map((r) => [`${r.method} ${r.url}`, r] as const))('%s: odd extra keys, other methods, odd cache headers', async (_, route) => {
    const base = await send(route, role, requestUrl(route));
    await keepSession(role);
    const found: string[] = [];
    for (const key of ODD_KEYS) {
      const res = await send(route, role, requestUrl(route, undefined, undefined, [key, '450103']));
      await keepSession(role);
      found.push(...answerProblems(res).map((p) => `${key}: ${p}`));
      // An unknown key is ignored: the answer is the one without it.
      if (res.statusCode !== base.statusCode) found.push(`extra key ${JSON.stringify(key).slice(0, 40)}: ${res.statusCode}, without it ${base.statusCode}`);
    }
    const declared = (m: string) => routes.some((r) => r.url === route.url && r.method === m); // e.g. DELETE /api/submissions/:id
    for (const method of ['PUT', 'DELETE', 'PATCH', 'OPTIONS', 'TRACE'].filter((m) => m !== route.method && !declared(m))) {
      const res = await send(route, role, requestUrl(route), method);
      found.push(...answerProblems(res).map((p) => `${method}: ${p}`));
      if (res.statusCode !== 404) found.push(`${method} ${route.url}: ${res.statusCode}`);
    }
    if (route.method === 'GET') {
      const odd: Record<string, string>[] = [
        { 'if-none-match': '*' },
        { 'if-none-match': '"' + 'x'.repeat(5000) },
        { 'if-none-match': 'W/"", ,,' },
        { 'accept-encoding': 'br;q=abc, gzip;q=NaN, *;q=-1' },
        { 'accept-encoding': 'identity;q=0, *;q=0' },
        { accept: '../../../../etc/passwd' },
      ];
      for (const headers of odd) {
        const res = await send(route, role, requestUrl(route), 'GET', { headers });
        found.push(...answerProblems(res).map((p) => `${JSON.stringify(headers).slice(0, 60)}: ${p}`));
      }
    }
    expect(found).toEqual([]);
  });
});

describe.each(['analyst', 'county'] as const)('request bodies as %s', (role) => {
  const posts = routes.filter((r) => r.body);
  const json = { 'content-type': 'application/json' };
  const MALFORMED: [string | Buffer, Record<string, string>][] = [
    ['{"username":', json],
    ['', json],
    ['null', json],
    ['[]', json],
    ['"analyst"', json],
    ['1e999', json],
    ['{"username":1,"password":2}', json],
    ['{"username":{"$ne":null},"password":{"$ne":null}}', json],
    ['{"username":["analyst"],"password":["x","y"]}', json],
    ['{"__proto__":{"role":"admin"},"username":"a","password":"b"}', json],
    ['{"constructor":{"prototype":{"role":"admin"}},"username":"a","password":"b"}', json],
    ['{"username":"a","username":"analyst","password":"x"}', json],
    [`{"username":"${'a'.repeat(2_000_000)}","password":"x"}`, json],
    [`{"username":"a","password":"${'p'.repeat(201)}"}`, json],
    ['{"username":"a\\u0000","password":"\\ud800"}', json],
    ['['.repeat(100_000), json],
    [Buffer.from([0xff, 0xfe, 0x00, 0x7b]), json],
    ['\uFEFF{"username":"a","password":"b"}', json],
    ['{"username":"a","password":"b"}', { 'content-type': 'application/json; charset=utf-16' }],
    ['{"username":"a","password":"b"}', { 'content-type': 'application/json', 'content-encoding': 'gzip' }],
    ['username=analyst&password=analyst-demo', { 'content-type': 'application/x-www-form-urlencoded' }],
    ['--b\r\nContent-Disposition: form-data; name="username"\r\n\r\nanalyst\r\n--b--', { 'content-type': 'multipart/form-data; boundary=b' }],
    ['<login><username>analyst</username></login>', { 'content-type': 'application/xml' }],
    ['username', { 'content-type': 'text/plain' }],
    ['{"username":"a","password":"b"}', { 'content-type': '' }],
    ['{"username":"a","password":"b"}', { 'content-type': '../../json' }],
  ];

  /** A 400 about the body names its field, unless the body as a whole is unreadable. */
  function bodyProblems(route: Route, res: Answer, what: string): string[] {
    const out = answerProblems(res).map((p) => `${route.url} ${what}: ${p}`);
    if (!out.length && res.statusCode === 400) {
      const e = errorOf(res);
      const fields = ['username', 'password', 'body', 'report', 'params', 'schedule', 'channel'];
      if (e.message.startsWith('body field') && !fields.includes(e.field ?? '')) out.push(`${route.url} ${what}: field ${e.field}`);
    }
    return out;
  }

  it.each(posts.map((r) => [r.url, r] as const))('%s: malformed, oversized and mistyped bodies', async (_, route) => {
    const found: string[] = [];
    for (const [payload, headers] of MALFORMED) {
      const res = await send(route, role, route.url, 'POST', { payload, headers });
      found.push(...bodyProblems(route, res, `${String(payload).slice(0, 40)} as ${headers['content-type']}`));
      if (route.url === '/api/auth/login') expect(res.statusCode, String(payload).slice(0, 60)).not.toBe(200);
      await keepSession(role);
    }
    expect(found).toEqual([]);
  });

  it.each(posts.map((r) => [r.url, r] as const))('%s: fast-check JSON bodies', async (_, route) => {
    const body = fc.oneof(
      fc.jsonValue({ maxDepth: 3 }),
      fc.record({ username: fc.oneof(fc.string({ unit: 'binary' }), fc.jsonValue()), password: fc.oneof(fc.string({ unit: 'binary' }), fc.jsonValue()) }),
    );
    await fc.assert(
      fc.asyncProperty(body, async (b) => {
        const res = await send(route, role, route.url, 'POST', { payload: JSON.stringify(b), headers: { 'content-type': 'application/json' } });
        expect(bodyProblems(route, res, JSON.stringify(b).slice(0, 60))).toEqual([]);
        await keepSession(role);
      }),
      { numRuns: route.url === '/api/auth/login' ? 40 : 15 },
    );
  });
});
