import fs from 'node:fs';
import path from 'node:path';

/**
 * An append-only file of records that could not reach the database. Each append is fsynced before
 * it returns, so a record acknowledged to its sender survives a crash; `drain` hands the records
 * to a writer and removes the file only when every one was stored.
 */
export type Spool = {
  append(record: unknown): Promise<void>;
  drain(store: (record: unknown) => Promise<void>): Promise<number>;
  pending(): number;
};

export function createSpool(directory: string, name: string): Spool {
  const file = path.join(directory, `${name}.jsonl`);
  let draining = false;
  return {
    async append(record) {
      fs.mkdirSync(directory, { recursive: true, mode: 0o700 });
      const handle = await fs.promises.open(file, 'a', 0o600);
      try {
        await handle.appendFile(`${JSON.stringify(record)}\n`);
        await handle.sync();
      } finally {
        await handle.close();
      }
    },
    async drain(store) {
      if (draining) return 0;
      draining = true;
      try {
        // Files left by a drain that crashed are picked up again; stores are idempotent.
        const leftovers = fs.existsSync(directory) ? fs.readdirSync(directory).filter((f) => f.startsWith(`${name}.jsonl.`) && f.endsWith('.draining')) : [];
        const batches = leftovers.map((f) => path.join(directory, f));
        if (fs.existsSync(file)) {
          const working = `${file}.${Date.now()}.draining`;
          fs.renameSync(file, working);
          batches.push(working);
        }
        let stored = 0;
        for (const batch of batches) {
          const lines = fs.readFileSync(batch, 'utf8').split('\n').filter(Boolean);
          for (let i = 0; i < lines.length; i++) {
            let record: unknown;
            try {
              record = JSON.parse(lines[i] as string);
            } catch {
              continue; // a line cut short by a crash was never acknowledged to anyone
            }
            try {
              await store(record);
              stored += 1;
            } catch (error) {
              // Keep what is left for the next attempt.
              fs.appendFileSync(file, `${lines.slice(i).join('\n')}\n`, { mode: 0o600 });
              fs.rmSync(batch);
              throw error;
            }
          }
          fs.rmSync(batch);
        }
        return stored;
      } finally {
        draining = false;
      }
    },
    pending() {
      if (!fs.existsSync(file)) return 0;
      return fs.readFileSync(file, 'utf8').split('\n').filter(Boolean).length;
    },
  };
}
