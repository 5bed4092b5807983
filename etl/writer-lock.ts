// One writer at a time: a publish copies the live snapshot, changes the copy and renames it into place,
// so two writers at once would each start from the same snapshot and the last rename would drop the
// other's rows. A lock file beside the warehouse names its holder's pid; the next writer waits for it,
// and takes over a lock whose holder has died (a killed load never releases its lock).
import { link, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { randomBytes } from 'node:crypto';
import { processAlive } from '../core/pid.ts';

export const lockFileOf = (warehouse: string) => `${warehouse}.writer.lock`;

export interface LockWait {
  /** the pid holding the lock while we wait: told once per holder (the CLI prints it) */
  onWait?: (holder: number) => void;
  /** how often to look again, in ms */
  pollMs?: number;
}

/** The pid in a lock file, or null when it is missing or unreadable (being written or removed). */
async function holderOf(lock: string): Promise<{ pid: number; text: string } | null> {
  const text = await readFile(lock, 'utf8').catch(() => null);
  if (text === null) return null;
  const pid = Number.parseInt(text, 10);
  return Number.isInteger(pid) && pid > 0 ? { pid, text } : null;
}

/**
 * Take the lock of `warehouse`, waiting as long as a live process holds it; returns the release.
 * The lock file holds "<pid> <token>": the token tells our own lock from a later holder's, so a
 * release never removes somebody else's lock.
 */
export async function takeWriterLock(warehouse: string, wait: LockWait = {}): Promise<() => Promise<void>> {
  const lock = lockFileOf(warehouse);
  const mine = `${process.pid} ${randomBytes(8).toString('hex')}\n`;
  // Written whole under a private name, then linked into place: link fails when the lock exists, and
  // nobody ever reads a half-written lock.
  const draft = `${lock}.${process.pid}.${randomBytes(4).toString('hex')}`;
  await writeFile(draft, mine);
  let told = 0;
  try {
    for (;;) {
      try {
        await link(draft, lock);
        break;
      } catch (e) {
        if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
      }
      const holder = await holderOf(lock);
      if (holder && !processAlive(holder.pid)) {
        await takeOver(lock, holder.text);
        continue;
      }
      if (holder && holder.pid !== told) {
        told = holder.pid;
        wait.onWait?.(holder.pid);
      }
      await new Promise((r) => setTimeout(r, wait.pollMs ?? 150));
    }
  } finally {
    await rm(draft, { force: true });
  }
  return async () => {
    if ((await readFile(lock, 'utf8').catch(() => null)) === mine) await rm(lock, { force: true });
  };
}

/**
 * Remove a dead holder's lock. Two waiters may find the same dead lock: it is moved aside first
 * (rename is atomic), and if what was moved is no longer the dead one (another waiter already took
 * over), it is put back.
 */
async function takeOver(lock: string, dead: string): Promise<void> {
  const aside = `${lock}.dead-${process.pid}-${randomBytes(4).toString('hex')}`;
  try {
    await rename(lock, aside);
  } catch {
    return; // gone already: somebody else took it over
  }
  const moved = await readFile(aside, 'utf8').catch(() => null);
  if (moved !== dead) await link(aside, lock).catch(() => {});
  await rm(aside, { force: true });
}
