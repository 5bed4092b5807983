// The API as a deployment runs it: server/server.ts in its own Node process (a benchmark's load
// generator does not share its event loop; replica tests run several), on a 127.0.0.1 port, with its
// pid for /proc readings.
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { readFile } from 'node:fs/promises';
import net from 'node:net';
import path from 'node:path';
import { repoRoot } from '../../core/paths.ts';

export interface ServerProcess {
  child: ChildProcess;
  pid: number;
  url: string;
  /** The demo display token the server printed at start (a new APP_DB gets one). */
  displayToken: string | null;
  stop(): Promise<void>;
}

/** `root`: the checkout whose server to run (a benchmark may compare with an older one). */
export async function startServer(env: { WAREHOUSE: string; APP_DB: string; PORT: number } & Record<string, string | number>, root = repoRoot): Promise<ServerProcess> {
  const child = spawn(process.execPath, ['--import', 'tsx', path.join(root, 'server', 'server.ts')], {
    cwd: root,
    env: { ...process.env, LOG_LEVEL: 'warn', ...Object.fromEntries(Object.entries(env).map(([k, v]) => [k, String(v)])) },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  let stdout = '';
  child.stdout!.on('data', (d: Buffer) => (stdout += d));
  const stop = async () => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    const exited = once(child, 'exit');
    child.kill('SIGTERM');
    await Promise.race([exited, new Promise((r) => setTimeout(r, 5000))]);
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  };
  const url = `http://127.0.0.1:${env.PORT}`;
  try {
    // server.ts prints its banner (with the display token) after listening.
    const end = Date.now() + 60_000;
    while (!stdout.includes('application db')) {
      if (child.exitCode !== null) throw new Error(`server exited with ${child.exitCode}`);
      if (Date.now() > end) throw new Error(`server on ${url} did not come up`);
      await new Promise((r) => setTimeout(r, 50));
    }
    if (!(await fetch(`${url}/api/health`)).ok) throw new Error(`${url}/api/health is not ok`);
  } catch (e) {
    await stop();
    throw e;
  }
  return { child, pid: child.pid!, url, displayToken: /display token\s+(\S+)/.exec(stdout)?.[1] ?? null, stop };
}

/** Log in through the API; the Cookie header for later requests. */
export async function login(url: string, username: string, password: string): Promise<string> {
  const res = await fetch(`${url}/api/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username, password }),
  });
  if (res.status !== 200) throw new Error(`login ${username}: ${res.status} ${await res.text()}`);
  return res.headers.getSetCookie().map((c) => c.split(';')[0]).join('; ');
}

/** Resident set size of a process in MiB, from /proc/<pid>/status (VmRSS). */
export async function rssMiB(pid: number): Promise<number> {
  const status = await readFile(`/proc/${pid}/status`, 'utf8');
  const kb = Number(/^VmRSS:\s+(\d+) kB/m.exec(status)?.[1]);
  if (!Number.isFinite(kb)) throw new Error(`no VmRSS for pid ${pid}`);
  return kb / 1024;
}

/** A port free on 127.0.0.1 right now (the kernel picks it; the server binds it a moment later). */
export async function freePort(): Promise<number> {
  const probe = net.createServer().listen(0, '127.0.0.1');
  await once(probe, 'listening');
  const { port } = probe.address() as net.AddressInfo;
  await new Promise((r) => probe.close(r));
  return port;
}
