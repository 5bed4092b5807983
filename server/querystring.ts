// The one reading of a URL's query string. Fastify parses request.query with it (so auth finds the
// display token under it), the log redacts the token by it and the cache leaves the token out of its
// key by it: a name spelt with percent-escapes (`%74oken`) is the same name in all three places.
// Semantics as Fastify's default parser (fast-querystring): pairs split on '&', '+' is a space, a
// name or value that is not valid percent-encoding stays as sent, a repeated name gives an array.

export interface QueryPair {
  /** The decoded name. */
  name: string;
  /** The decoded value ('' when the pair has no '='). */
  value: string;
  /** The pair as it appears in the URL. */
  raw: string;
}

function decode(s: string): string {
  const spaced = s.includes('+') ? s.replaceAll('+', ' ') : s;
  if (!spaced.includes('%')) return spaced;
  try {
    return decodeURIComponent(spaced);
  } catch {
    return spaced;
  }
}

export function queryPairs(search: string): QueryPair[] {
  const pairs: QueryPair[] = [];
  for (const raw of search.split('&')) {
    if (raw === '') continue;
    const eq = raw.indexOf('=');
    const name = decode(eq < 0 ? raw : raw.slice(0, eq));
    if (eq < 0 && name === '') continue;
    pairs.push({ name, value: eq < 0 ? '' : decode(raw.slice(eq + 1)), raw });
  }
  return pairs;
}

/** Objects whose prototype chain holds nothing (a `__proto__` name is just a name), made by a
 * constructor: Object.create(null) per request makes a slower dictionary-mode object. */
function Query() {}
Query.prototype = Object.create(null);

/** request.query: an object without inherited properties (a `__proto__` name is just a name). */
export function parseQuery(search: string): Record<string, string | string[]> {
  const query = new (Query as unknown as new () => Record<string, string | string[]>)();
  if (search === '') return query;
  for (const { name, value } of queryPairs(search)) {
    const seen = query[name];
    if (seen === undefined) query[name] = value;
    else if (Array.isArray(seen)) seen.push(value);
    else query[name] = [seen, value];
  }
  return query;
}

/** The URL with each pair whose decoded name is `name` rewritten by `replace` (or dropped on null). */
function rewrite(url: string, name: string, replace: (pair: QueryPair) => string | null): string {
  const q = url.indexOf('?');
  if (q < 0) return url;
  // A name decodes to `name` only if spelt out or percent-escaped: most URLs need no parsing here.
  if (!url.includes(name, q) && !url.includes('%', q)) return url;
  const pairs = queryPairs(url.slice(q + 1));
  if (!pairs.some((p) => p.name === name)) return url;
  const kept = pairs.flatMap((p) => {
    if (p.name !== name) return [p.raw];
    const r = replace(p);
    return r === null ? [] : [r];
  });
  return kept.length ? `${url.slice(0, q)}?${kept.join('&')}` : url.slice(0, q);
}

/** For the log: the display token's value hidden, however its name was spelt. */
export const redactToken = (url: string) => rewrite(url, 'token', () => 'token=***');

/** For the cache key: the display token left out (the same data whichever screen asks). */
export const withoutToken = (url: string) => rewrite(url, 'token', () => null);
