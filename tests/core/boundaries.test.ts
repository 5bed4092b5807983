// Who may import whom: server/ and web/ never import etl/ (what they share with it lives in core/), and
// core/ imports none of etl/, server/ or web/. Imports are read from the source text: static
// `import … from`, `export … from`, side-effect `import '…'` and dynamic `import('…')`.
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { repoRoot } from '../../core/paths.ts';

const IMPORT = /\b(?:from|import)\s*\(?\s*(['"])([^'"\n]+)\1/g;

/** The module specifiers a source file imports. */
function importsOf(source: string): string[] {
  return [...source.matchAll(IMPORT)].map((m) => m[2]!);
}

/** Every .ts and .vue file under a top-level directory of the repository. */
function sourceFiles(dir: string): string[] {
  return readdirSync(path.join(repoRoot, dir), { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile() && /\.(ts|vue)$/.test(e.name) && !e.parentPath.includes('node_modules'))
    .map((e) => path.relative(repoRoot, path.join(e.parentPath, e.name)));
}

/** "file imports specifier" for each import of a file under `dir` that resolves into one of `forbidden`. */
function crossings(dir: string, forbidden: string[]): string[] {
  return sourceFiles(dir).flatMap((file) =>
    importsOf(readFileSync(path.join(repoRoot, file), 'utf8'))
      .filter((spec) => spec.startsWith('.'))
      .filter((spec) => {
        const target = path.relative(repoRoot, path.resolve(repoRoot, path.dirname(file), spec.split('?')[0]!));
        return forbidden.some((top) => target === top || target.startsWith(top + path.sep));
      })
      .map((spec) => `${file} imports ${spec}`),
  );
}

describe('module boundaries', () => {
  it('reads static, re-export, side-effect and dynamic imports', () => {
    const source = [
      `import { a } from '../../etl/a.ts';`,
      `import type { B } from "../etl/b.ts";`,
      `export { c } from './c.ts';`,
      `import './style.css';`,
      `const d = await import('../../etl/d.ts');`,
      `const e = () => import(\n  '../views/E.vue');`,
      `// the word import in a comment names nothing`,
    ].join('\n');
    expect(importsOf(source)).toEqual(['../../etl/a.ts', '../etl/b.ts', './c.ts', './style.css', '../../etl/d.ts', '../views/E.vue']);
  });

  it('finds the files it checks', () => {
    expect(sourceFiles('server')).toContain(path.join('server', 'app.ts'));
    expect(sourceFiles('web')).toContain(path.join('web', 'App.vue'));
    expect(sourceFiles('core')).toContain(path.join('core', 'paths.ts'));
  });

  it('server/ imports nothing from etl/', () => {
    expect(crossings('server', ['etl'])).toEqual([]);
  });

  it('web/ imports nothing from etl/', () => {
    expect(crossings('web', ['etl'])).toEqual([]);
  });

  it('core/ imports nothing from etl/, server/ or web/', () => {
    expect(crossings('core', ['etl', 'server', 'web'])).toEqual([]);
  });

  it('a crossing names the file and the import', () => {
    // etl/ does import core/: the same check pointed the other way must report it.
    expect(crossings('etl', ['core'])).toContain(`${path.join('etl', 'publish.ts')} imports ../core/fsync.ts`);
  });
});
