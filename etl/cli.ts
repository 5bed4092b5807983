// npm run etl -- load <file|dir>... [--warehouse PATH] [--stream NAME] [--json] [--report DIR]
// npm run etl -- generate --scale S --out DIR [--seed N] [--messy] [--until YYYY-MM]
// npm run etl -- rebuild [--warehouse PATH]
import { existsSync } from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { streamNames, type StreamName } from '../core/contract.ts';
import { loadFiles } from './load.ts';
import { defaultWarehouse } from '../core/paths.ts';
import { rebuildLine, rebuildWarehouse } from './rebuild.ts';
import { lockFileOf } from './writer-lock.ts';
import { jsonSummary, summaryTable, writeReport } from './report.ts';

const usage = `usage:
  npm run etl -- load <file|dir>... [--warehouse PATH] [--stream ${streamNames.join('|')}] [--json] [--report DIR]
  npm run etl -- generate --scale S --out DIR [--seed N] [--messy] [--until YYYY-MM]
  npm run etl -- rebuild [--warehouse PATH]   (after an upgrade: the same facts, rebuilt by this code)`;

/** The progress bar library, loaded only when a terminal shows it (a scripted load does not pay for it). */
const progressBars = async () => (await import('cli-progress')).default;

function fail(message: string): never {
  process.stderr.write(`${message}\n`);
  process.exit(1);
}

async function load(args: string[]): Promise<void> {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    options: {
      warehouse: { type: 'string', default: defaultWarehouse },
      stream: { type: 'string' },
      json: { type: 'boolean', default: false },
      report: { type: 'string' },
    },
  });
  if (positionals.length === 0) fail(`load: name at least one file or directory\n${usage}`);
  if (values.stream && !streamNames.includes(values.stream as StreamName)) {
    fail(`--stream: unknown stream "${values.stream}" (allowed: ${streamNames.join(', ')})`);
  }
  const progress = values.json || !process.stderr.isTTY ? null : await progressBars();
  const bar = progress && new progress.SingleBar({ format: '{bar} {value}/{total} files | {file}', stream: process.stderr }, progress.Presets.shades_classic);
  const summary = await loadFiles({
    warehouse: path.resolve(values.warehouse),
    inputs: positionals,
    stream: values.stream as StreamName | undefined,
    onFile: (done, total, file) => {
      if (!bar) return;
      if (done === 0) bar.start(total ?? 0, 0, { file: path.basename(file) });
      bar.update(done, { file: path.basename(file) });
    },
    onWaitForWriter: (pid) => process.stderr.write(`等待进程 ${pid} 发布完成（写入锁 ${lockFileOf(path.resolve(values.warehouse))}） / waiting for pid ${pid}, which holds the writer lock\n`),
  }).finally(() => bar?.stop());
  const stamp = new Date().toISOString().replace(/[:.]/g, '-').slice(0, 19);
  const reportDir = values.report ?? path.join(path.dirname(path.resolve(values.warehouse)), 'reports', stamp);
  const written = await writeReport(summary, reportDir);
  if (values.json) {
    process.stdout.write(JSON.stringify(jsonSummary(summary)) + '\n');
  } else {
    const outcome = summary.published
      ? `已发布 / published ${summary.warehouse} in ${summary.seconds.toFixed(1)} s`
      : existsSync(summary.warehouse)
        ? `未发布：没有一行通过检查，现有数据未改动 / not published: no row was accepted, ${summary.warehouse} is unchanged`
        : `未发布：没有一行通过检查，未创建数据仓库 / not published: no row was accepted, no warehouse was made at ${summary.warehouse}`;
    process.stdout.write(`${summaryTable(summary)}\n\n${outcome}\n`);
    process.stdout.write(`报告 / report: ${written.join(', ')}\n`);
  }
  // A load that accepted nothing failed, for a script as for a person: fix the rejects and load again.
  if (!summary.published) process.exitCode = 1;
}

async function rebuild(args: string[]): Promise<void> {
  const { values } = parseArgs({ args, options: { warehouse: { type: 'string', default: defaultWarehouse } } });
  process.stdout.write(`${rebuildLine(await rebuildWarehouse(path.resolve(values.warehouse)))}\n`);
}

async function generateCommand(args: string[]): Promise<void> {
  const { values } = parseArgs({
    args,
    options: {
      scale: { type: 'string' },
      out: { type: 'string' },
      seed: { type: 'string', default: '1' },
      messy: { type: 'boolean', default: false },
      until: { type: 'string' },
    },
  });
  const scale = Number(values.scale);
  if (!values.scale || !(scale > 0) || scale > 20) fail(`--scale: give a number greater than 0 and at most 20 (1 = the province)\n${usage}`);
  if (!values.out) fail(`--out: name the directory to write into\n${usage}`);
  const seed = Number(values.seed);
  if (!Number.isInteger(seed)) fail('--seed: give a whole number');
  if (values.until && !/^\d{4}-(0[1-9]|1[0-2])$/.test(values.until)) fail('--until: give a month as YYYY-MM');
  const { generate } = await import('./generate/index.ts');
  const progress = process.stderr.isTTY ? await progressBars() : null;
  const bar = progress ? new progress.SingleBar({ stream: process.stderr }, progress.Presets.shades_classic) : null;
  bar?.start(100, 0);
  const started = performance.now();
  const result = await generate({
    scale,
    out: values.out,
    seed,
    messy: values.messy,
    until: values.until,
    onProgress: (done, total) => bar?.update(Math.round((done / total) * 100)),
  }).finally(() => bar?.stop());
  const rowsWritten = result.files.reduce((s, f) => s + f.rows, 0);
  process.stdout.write(`wrote ${result.files.length} files, ${rowsWritten} rows to ${values.out} in ${((performance.now() - started) / 1000).toFixed(1)} s\n`);
}

const [command, ...rest] = process.argv.slice(2);
try {
  if (command === 'load') await load(rest);
  else if (command === 'generate') await generateCommand(rest);
  else if (command === 'rebuild') await rebuild(rest);
  else fail(usage);
} catch (e) {
  fail(`错误 / error: ${(e as Error).message}`);
}
