// Durability for atomic replaces (the ETL's snapshot publish, the server's backup restore).
import { open } from 'node:fs/promises';

/** fsync a file or directory: a rename is durable only once both the file and its directory are. */
export async function fsyncPath(p: string): Promise<void> {
  const fh = await open(p, 'r');
  try {
    await fh.sync();
  } finally {
    await fh.close();
  }
}
