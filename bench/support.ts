import { type ChildProcess, spawn } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';

/** Helpers shared by the benchmarks: free ports, starting and stopping a real Haven process. */
export const demoPassword = 'bench-password-2026';

export function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const server = net.createServer().listen(0, '127.0.0.1', () => {
      const address = server.address() as net.AddressInfo;
      server.close(() => resolve(address.port));
    });
  });
}

export async function waitHealthy(url: string, child: ChildProcess, timeoutMs = 120_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null || child.signalCode !== null) throw new Error(`process exited (${child.exitCode ?? child.signalCode})`);
    try {
      if ((await fetch(`${url}/healthz`)).ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  throw new Error('not healthy in time');
}

export async function stop(child: ChildProcess, signal: NodeJS.Signals = 'SIGTERM'): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise((resolve) => child.once('exit', resolve));
  child.kill(signal);
  await exited;
}

export type RunningHaven = { ms: number; url: string; child: ChildProcess };

/** Starts `haven serve --demo` on a data directory, in its own process group (so kill -9 takes PostgreSQL too). */
export async function startHaven(dataDir: string, env: Record<string, string> = {}): Promise<RunningHaven> {
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const started = performance.now();
  const child = spawn(process.execPath, ['bin/haven.js', 'serve', '--demo'], {
    env: {
      ...process.env,
      PORT: String(port),
      HAVEN_DATA_DIR: dataDir,
      HAVEN_DEMO_PASSWORD: demoPassword,
      HAVEN_LOG_LEVEL: 'silent',
      HAVEN_SIGN_IN_PER_MINUTE: '1000000',
      HAVEN_INTAKE_PER_MINUTE: '1000000',
      ...env,
    },
    stdio: ['ignore', 'ignore', 'inherit'],
    detached: true,
  });
  await waitHealthy(url, child);
  return { ms: performance.now() - started, url, child };
}

/** The owner connection string of the embedded PostgreSQL a running Haven started on this data dir. */
export async function embeddedOwnerUrl(dataDir: string): Promise<string> {
  const { createSecrets } = await import('../src/platform/secrets.ts');
  const key = Buffer.from(fs.readFileSync(path.join(dataDir, 'secret.key'), 'utf8').trim(), 'hex');
  const port = fs.readFileSync(path.join(dataDir, 'postgres', 'postmaster.pid'), 'utf8').split('\n')[3];
  return `postgres://postgres:${createSecrets(key).derive('embedded-postgres-owner')}@127.0.0.1:${port}/haven`;
}

export function row(name: string, haven: number, baseline: number, unit: string, baselineName: string) {
  console.log(
    `${name.padEnd(30)} Haven ${haven.toFixed(0).padStart(7)} ${unit}   ${baselineName} ${baseline.toFixed(0).padStart(7)} ${unit}   ratio ${(haven / baseline).toFixed(2)}`,
  );
}

/** Starts `haven worker` (routing and background work in a process of its own, decision 42); resolves once it runs. */
export async function startWorker(dataDir: string, env: Record<string, string>): Promise<ChildProcess> {
  const child = spawn(process.execPath, ['bin/haven.js', 'worker'], {
    env: { ...process.env, HAVEN_DATA_DIR: dataDir, HAVEN_LOG_LEVEL: 'silent', ...env },
    stdio: ['ignore', 'pipe', 'inherit'],
    detached: true,
  });
  await new Promise<void>((resolve, reject) => {
    let seen = '';
    child.stdout?.on('data', (chunk: Buffer) => {
      seen += chunk.toString();
      if (seen.includes('Haven worker is running')) resolve();
    });
    child.once('exit', (code) => reject(new Error(`haven worker exited (${code})`)));
  });
  return child;
}

export type CpuParts = Record<'eventLoop' | 'otherThreads' | 'postgres' | 'loadGenerator', number>;

/** Runs a load against a server and returns it with the CPU (ms) each request cost per part (below), or undefined without /proc. */
export async function withCpu<T>(serverPid: number | undefined, run: () => Promise<T>, requests: (result: T) => number) {
  const before = serverPid ? cpuSnapshot(serverPid) : undefined;
  const result = await run();
  const after = serverPid ? cpuSnapshot(serverPid) : undefined;
  if (!before || !after) return { result, perRequest: undefined };
  const per = (part: keyof CpuParts) => (after[part] - before[part]) / requests(result);
  const perRequest: CpuParts = {
    eventLoop: per('eventLoop'),
    otherThreads: per('otherThreads'),
    postgres: per('postgres'),
    loadGenerator: per('loadGenerator'),
  };
  return { result, perRequest };
}

/**
 * CPU time (ms) used so far, read from Linux's /proc: the server's event-loop thread, its other
 * threads (the argon2 and libuv pool, V8's helpers), every PostgreSQL process, and this bench
 * process (the load generator). Undefined where /proc is not there. On a machine whose cores are
 * all busy, throughput is the cores divided by these per request, so they say where time goes.
 */
function cpuSnapshot(serverPid: number): CpuParts | undefined {
  if (!fs.existsSync('/proc/self/stat')) return undefined;
  const ms = (statFile: string) => {
    const stat = fs.readFileSync(statFile, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return { name: stat.slice(stat.indexOf('(') + 1, stat.lastIndexOf(')')), ms: ((Number(fields[11]) + Number(fields[12])) * 1000) / 100 };
  };
  const snapshot = { eventLoop: 0, otherThreads: 0, postgres: 0, loadGenerator: ms('/proc/self/stat').ms };
  for (const tid of fs.readdirSync(`/proc/${serverPid}/task`)) {
    snapshot[tid === String(serverPid) ? 'eventLoop' : 'otherThreads'] += ms(`/proc/${serverPid}/task/${tid}/stat`).ms;
  }
  for (const pid of fs.readdirSync('/proc').filter((entry) => /^\d+$/.test(entry))) {
    try {
      const process = ms(`/proc/${pid}/stat`);
      if (process.name.startsWith('postgres')) snapshot.postgres += process.ms;
    } catch {
      // the process ended between listing and reading
    }
  }
  return snapshot;
}
