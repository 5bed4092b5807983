// Runs an etl program (cli.ts, worker.ts) from JavaScript compiled ahead instead of through tsx:
//   node etl/compiled.mjs cli load <file>...   is   npm run etl -- load <file>...
//   node etl/compiled.mjs --prepare            compiles only (a benchmark times the runs after it)
// Under `--import tsx` a one-month load spent about 1.1 s of CPU before its first statement (tsx
// itself, and every module of the graph resolved and transformed through its loader thread); from
// the compiled copy about half of that (npm run bench -- publish). Plain JavaScript, so that node
// runs it without a loader; the TypeScript sources stay the only code.
//
// The copy is made by esbuild on first use and again whenever a source it was built from changed
// (its content, or where the checkout lives), this file or esbuild's version: one bundle per program
// with the modules it imports only on demand (generate/, the xlsx readers) split into chunks loaded
// as before. It lives under node_modules/.cache/uc-etl/ (git-ignored; UC_ETL_CACHE names another
// directory, which must be inside the checkout: the copy imports its packages from where it lies),
// one directory per version of the sources, so concurrent runs and a rebuild never touch a copy in
// use; one unused for a day after its sources changed is removed. Where no copy can be kept (a
// read-only install), the program runs from its sources under tsx, as before: slower to start, the same.
import { createHash } from 'node:crypto';
import { createRequire } from 'node:module';
import { accessSync, constants, existsSync, mkdirSync, readFileSync, readdirSync, renameSync, rmSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const PROGRAMS = { cli: 'etl/cli.ts', worker: 'etl/worker.ts' };
const cacheDir = process.env.UC_ETL_CACHE ? path.resolve(process.env.UC_ETL_CACHE) : path.join(root, 'node_modules', '.cache', 'uc-etl');
/** { version, inputs }: the sources the current copy was built from (paths relative to root) */
const currentFile = path.join(cacheDir, 'current.json');
/** copies of older sources are removed when unused for this long (a run on one may still load its chunks) */
const KEEP_OLD_MS = 24 * 3600 * 1000;
/** what else shapes the copy: this file (the build's options) and the compiler's version */
const builder = `${readFileSync(fileURLToPath(import.meta.url), 'utf8')}\0${JSON.parse(readFileSync(path.join(root, 'node_modules', 'esbuild', 'package.json'), 'utf8')).version}`;

/** The sources' version: the checkout's place, the builder, and every input's path and content. */
function versionOf(inputs) {
  const hash = createHash('sha256').update(`${root}\0${builder}\0`);
  for (const input of inputs) hash.update(`${input}\0`).update(readFileSync(path.join(root, input))).update('\0');
  return hash.digest('hex').slice(0, 16);
}

/** The version of the current copy when its sources are unchanged, else null. */
function upToDate() {
  try {
    const { version, inputs } = JSON.parse(readFileSync(currentFile, 'utf8'));
    return versionOf(inputs) === version && existsSync(path.join(cacheDir, version)) ? version : null;
  } catch {
    return null; // no copy yet, or a source it was built from is gone
  }
}

/**
 * Each module keeps its own location: import.meta.url and import.meta.dirname say where its source
 * is, as under tsx (core/paths.ts finds the repository from it, the catalog its CSV).
 */
const keepModuleLocation = {
  name: 'keep-module-location',
  setup(build) {
    build.onLoad({ filter: /\.ts$/ }, (args) => {
      const source = readFileSync(args.path, 'utf8');
      if (!source.includes('import.meta.')) return undefined;
      const contents = source
        .replaceAll('import.meta.url', JSON.stringify(pathToFileURL(args.path).href))
        .replaceAll('import.meta.dirname', JSON.stringify(path.dirname(args.path)))
        .replaceAll('import.meta.filename', JSON.stringify(args.path));
      return { contents, loader: 'ts' };
    });
  },
};

/**
 * CommonJS packages the programs import, loaded with require() instead of through Node's ESM import:
 * an ESM import of a CommonJS module has Node lex its source and every module it re-exports for
 * their export names, and @duckdb/node-api's 60 files cost a load about 0.3 s of CPU that way
 * (0.8 s to import it, 0.45 s to require it). Each import of one becomes a small module that
 * requires it and re-exports its names, read here once per build.
 */
const REQUIRED = ['@duckdb/node-api'];
const NS = 'uc-required';

const requireInstead = {
  name: 'require-instead',
  setup(build) {
    const filter = new RegExp(`^(${REQUIRED.map((p) => p.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')).join('|')})$`);
    build.onResolve({ filter }, (args) => ({ path: args.path, namespace: NS }));
    build.onLoad({ filter: /.*/, namespace: NS }, (args) => {
      const names = Object.keys(createRequire(path.join(root, 'package.json'))(args.path)).filter((n) => /^[A-Za-z_$][\w$]*$/.test(n) && n !== 'default');
      return {
        contents: `import { createRequire } from 'node:module';
const m = createRequire(import.meta.url)(${JSON.stringify(args.path)});
export const { ${names.join(', ')} } = m;
export default m;
`,
        loader: 'js',
      };
    });
  },
};

async function compile() {
  const { build } = await import('esbuild');
  const staging = path.join(cacheDir, `.building-${process.pid}`);
  rmSync(staging, { recursive: true, force: true });
  const result = await build({
    absWorkingDir: root,
    entryPoints: Object.fromEntries(Object.entries(PROGRAMS).map(([name, file]) => [name, path.join(root, file)])),
    bundle: true,
    splitting: true,
    format: 'esm',
    platform: 'node',
    target: 'node20',
    packages: 'external',
    outdir: staging,
    metafile: true,
    logLevel: 'warning',
    plugins: [keepModuleLocation, requireInstead],
  });
  // the modules requireInstead makes are no files: the package's version is not part of the sources'
  const inputs = Object.keys(result.metafile.inputs).filter((i) => !i.startsWith(`${NS}:`)).sort();
  const version = versionOf(inputs);
  const dir = path.join(cacheDir, version);
  try {
    renameSync(staging, dir);
  } catch (e) {
    rmSync(staging, { recursive: true, force: true }); // another run made the same copy first
    if (!existsSync(dir)) throw e;
  }
  const next = `${currentFile}.${process.pid}`;
  writeFileSync(next, JSON.stringify({ version, inputs }));
  renameSync(next, currentFile);
  for (const name of readdirSync(cacheDir)) {
    // another run's build or its current.json on the way may come and go meanwhile: only copies are removed
    if (name === version || name.startsWith('.') || name.startsWith('current.json')) continue;
    const old = path.join(cacheDir, name);
    try {
      if (Date.now() - statSync(old).mtimeMs > KEEP_OLD_MS) rmSync(old, { recursive: true, force: true });
    } catch {
      // removed by another run first
    }
  }
  return version;
}

const [program] = process.argv.splice(2, 1);
if (program !== '--prepare' && !Object.hasOwn(PROGRAMS, program)) {
  process.stderr.write(`usage: node etl/compiled.mjs ${Object.keys(PROGRAMS).join('|')} [arguments]\n       node etl/compiled.mjs --prepare   (compile only)\n`);
  process.exit(1);
}
/** Whether a copy can be written where copies live. */
function cacheWritable() {
  try {
    mkdirSync(cacheDir, { recursive: true });
    accessSync(cacheDir, constants.W_OK);
    return true;
  } catch {
    return false;
  }
}

const version = upToDate() ?? (cacheWritable() ? await compile() : null);
if (version === null) {
  if (program !== '--prepare') {
    const { register } = await import('tsx/esm/api');
    register();
    await import(pathToFileURL(path.join(root, PROGRAMS[program])).href);
  }
} else {
  try {
    const now = new Date();
    utimesSync(path.join(cacheDir, version), now, now); // in use: kept KEEP_OLD_MS from now when the sources change
  } catch {
    // a read-only cache keeps its copies as they are
  }
  if (program !== '--prepare') await import(pathToFileURL(path.join(cacheDir, version, `${program}.js`)).href);
}
