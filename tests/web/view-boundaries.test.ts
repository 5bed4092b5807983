// A view does not import another view's folder: logic two views need lives in web/views/shared/.
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

const VIEWS = path.resolve(import.meta.dirname, '../../web/views');

async function filesUnder(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { withFileTypes: true });
  const nested = await Promise.all(entries.map((e) => (e.isDirectory() ? filesUnder(path.join(dir, e.name)) : [path.join(dir, e.name)])));
  return nested.flat().filter((f) => /\.(ts|vue)$/.test(f));
}

/** The view folder (wall, county, analyst, ...) a file belongs to, or null for files directly in web/views. */
const viewOf = (file: string) => {
  const [first, ...rest] = path.relative(VIEWS, file).split(path.sep);
  return rest.length ? first : null;
};

/** Every relative import of a file, resolved to an absolute path. */
async function importsOf(file: string): Promise<string[]> {
  const text = await readFile(file, 'utf8');
  return [...text.matchAll(/\bfrom\s+['"](\.{1,2}\/[^'"]+)['"]|\bimport\(\s*['"](\.{1,2}\/[^'"]+)['"]/g)].map((m) => path.resolve(path.dirname(file), m[1] ?? m[2]));
}

describe('view boundaries', () => {
  it("no view imports from another view's folder (shared/ is for everyone)", async () => {
    const crossings: string[] = [];
    for (const file of await filesUnder(VIEWS)) {
      const own = viewOf(file);
      if (!own || own === 'shared') continue;
      for (const target of await importsOf(file)) {
        if (!target.startsWith(VIEWS + path.sep)) continue;
        const other = viewOf(target);
        if (other && other !== own && other !== 'shared') crossings.push(`${path.relative(VIEWS, file)} -> ${path.relative(VIEWS, target)}`);
      }
    }
    expect(crossings).toEqual([]);
  });

  it('the rule is checked on real files: it sees the views and their imports', async () => {
    const files = await filesUnder(VIEWS);
    expect([...new Set(files.map(viewOf))]).toEqual(expect.arrayContaining(['wall', 'county', 'analyst', 'shared']));
    const county = files.find((f) => f.endsWith(path.join('county', 'CountyView.vue')))!;
    expect(await importsOf(county)).toContain(path.join(VIEWS, 'shared', 'period.ts'));
  });
});
