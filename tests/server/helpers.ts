// Test support: a tiny warehouse loaded through the real ETL (etl/load.ts) from CSV rows written here,
// and a real app over it. The rows are small enough to compute every expected figure by hand; the
// comments beside them say which figures they feed.
import { copyFile, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll } from 'vitest';
import { sampleDir } from '../../core/paths.ts';
import { buildApp, type App, type AppOptions } from '../../server/app.ts';
import { DEMO_ACCOUNTS } from '../../server/appdb/seed.ts';
import { csvInputs, loadWithoutRejects, warehouseOf } from '../helpers/warehouse-cache.ts';

export const MEDIATION = `case_id,county_code,received_date,closed_date,dispute_type,channel,outcome,workers,amount_yuan
M1,450102,2022-12-20,2023-01-05,wages,union,success,1,100
M2,450102,2023-01-03,2023-01-10,wages,union,success,2,
M3,450102,2023-01-04,2023-01-20,contract,court,success,1,50.5
M4,450102,2023-01-05,2023-01-25,injury,union,failed,3,
M5,450102,2023-01-06,2023-01-26,wages,hrss,withdrawn,1,
M6,450102,2023-01-07,,wages,union,pending,1,
M7,450102,2023-02-01,2023-03-02,other,union,failed,1,
M8,450103,2023-02-01,2023-02-10,wages,union,success,1,
M9,450103,2023-02-02,2023-02-11,wages,union,success,1,
M10,450103,2023-02-03,2023-02-12,wages,union,failed,1,
M11,450103,2023-02-04,2023-02-13,wages,union,failed,1,
M12,450103,2022-11-01,2022-12-01,wages,union,success,1,
M13,450202,2023-01-10,2023-02-15,wages,union,success,1,
`;

export const ENROLMENT = `member_id,county_code,plan_year,plan,enrolled_date,contribution_yuan
A,450102,2022,inpatient,2022-01-10,30
B,450102,2022,inpatient,2022-01-10,30
D,450103,2022,inpatient,2022-01-10,30
A,450102,2023,inpatient,2023-01-10,30
A,450102,2023,accident,2023-01-10,10
B,450102,2023,inpatient,2023-01-10,30
C,450102,2023,inpatient,2023-01-10,30
C,450103,2023,accident,2023-06-10,10
D,450103,2023,inpatient,2023-01-10,30
E,450103,2023,inpatient,2023-01-10,30
F,450202,2023,inpatient,2023-01-10,30
`;

export const CLAIMS = `claim_id,member_id,county_code,plan_year,submitted_date,paid_date,amount_yuan,status
C1,A,450102,2023,2023-03-01,2023-03-11,1000.50,paid
C2,B,450102,2023,2023-03-05,2023-04-04,2000.00,paid
C3,A,450102,2023,2023-05-01,2023-05-03,500.25,paid
C4,C,450102,2023,2023-06-01,,300,rejected
C5,D,450103,2023,2023-02-01,2023-02-21,800,paid
C6,F,450202,2023,2022-12-20,2023-01-09,100,paid
`;

export interface TestEnv {
  dir: string;
  warehouse: string;
  appDb: string;
  app: App;
  close(): Promise<void>;
}

/** Write `files` (name -> CSV text) into dir/name and load them into the warehouse at `warehouse`. */
export async function loadCsv(dir: string, warehouse: string, files: Record<string, string>): Promise<void> {
  const inputs: string[] = [];
  for (const [name, text] of Object.entries(files)) {
    const file = path.join(dir, name);
    await writeFile(file, text);
    inputs.push(file);
  }
  await loadWithoutRejects(warehouse, inputs);
}

/**
 * What a test app's warehouse holds: 'tiny' (the rows above, the default), 'sample' (fixtures/sample)
 * or the given files (name -> CSV text), each loaded through the real ETL.
 */
export type TestData = 'tiny' | 'sample' | Record<string, string>;

export interface TestAppOptions extends Partial<AppOptions> {
  /** Ignored when `warehouse` is given. */
  data?: TestData;
}

const TINY = { 'mediation.csv': MEDIATION, 'enrolment.csv': ENROLMENT, 'claims.csv': CLAIMS };

/** A copy, at dir/warehouse.duckdb, of the warehouse `data` loads (built once: helpers/warehouse-cache.ts). */
async function warehouseFor(dir: string, data: TestData): Promise<string> {
  const built = data === 'sample' ? await warehouseOf([sampleDir]) : await warehouseOf(await csvInputs(data === 'tiny' ? TINY : data), { whole: true });
  const warehouse = path.join(dir, 'warehouse.duckdb');
  await copyFile(built, warehouse);
  return warehouse;
}

export const tinyWarehouse = (dir: string): Promise<string> => warehouseFor(dir, 'tiny');

/** A real app over a real warehouse in a new temporary directory; the caller closes it. */
export async function testEnv(opts: TestAppOptions = {}): Promise<TestEnv> {
  const { data = 'tiny', ...appOpts } = opts;
  const dir = await mkdtemp(path.join(tmpdir(), 'uc-server-'));
  const warehouse = appOpts.warehouse ?? (await warehouseFor(dir, data));
  const appDb = path.join(dir, 'app.sqlite');
  const app = await buildApp({ warehouse, appDb, logger: false, loginPerMinute: 1000, loginFailuresPerAccount: 1000, exportsPerMinute: 1000, snapshotPollMs: 200, snapshotGraceMs: 50, ...appOpts });
  await app.ready();
  return {
    dir,
    warehouse,
    appDb,
    app,
    async close() {
      await app.close();
      await rm(dir, { recursive: true, force: true });
    },
  };
}

export interface TestApp extends TestEnv {
  /** Log a demo account in (server/appdb/seed.ts) and return its Cookie header. */
  login(username: string): Promise<string>;
}

/**
 * The one set-up of a server test file (after fastify/demo's `build(t)`): a real app over a real
 * warehouse, closed and removed after the file's tests. (An app for one test only: testEnv() and close.)
 *
 *     const env = await buildTestApp();
 *     const cookie = await env.login('analyst');
 */
export async function buildTestApp(opts: TestAppOptions = {}): Promise<TestApp> {
  const env = await testEnv(opts);
  afterAll(() => env.close());
  return { ...env, login: (username) => login(env.app, username, demoPassword(username)) };
}

function demoPassword(username: string): string {
  const account = DEMO_ACCOUNTS.find((a) => a.username === username);
  if (!account) throw new Error(`no demo account ${username} (server/appdb/seed.ts)`);
  return account.password;
}

/** Log in through the API and return the Cookie header for later requests. */
export async function login(app: App, username: string, password: string): Promise<string> {
  const res = await app.inject({ method: 'POST', url: '/api/auth/login', payload: { username, password } });
  if (res.statusCode !== 200) throw new Error(`login ${username}: ${res.statusCode} ${res.body}`);
  const c = res.cookies.find((c) => c.name === 'uc_session');
  return `uc_session=${c!.value}`;
}
