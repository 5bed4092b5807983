// Where things live, resolved from the repository root so commands work from any directory.
import { fileURLToPath } from 'node:url';
import path from 'node:path';

export const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
export const sqlDir = path.join(repoRoot, 'sql');
export const referenceDir = path.join(repoRoot, 'fixtures', 'reference');
export const sampleDir = path.join(repoRoot, 'fixtures', 'sample');

/** The live warehouse snapshot `npm start` serves and `npm run etl -- load` publishes to by default. */
export const defaultWarehouse = process.env.WAREHOUSE ?? path.join(repoRoot, 'data', 'warehouse.duckdb');

/** The application database (users, sessions, tokens, audit) the server and its CLIs open by default. */
export const defaultAppDb = process.env.APP_DB ?? path.join(repoRoot, 'data', 'app.sqlite');

/** County uploads are kept beside the application database, in uploads/, named by submission id. */
export const uploadsDirOf = (appDb: string) => path.join(path.dirname(path.resolve(appDb)), 'uploads');
