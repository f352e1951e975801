import fs from 'node:fs/promises';
import path from 'node:path';
import { promisify } from 'node:util';
import zlib from 'node:zlib';
import type { Plugin } from 'vite';

const brotli = promisify(zlib.brotliCompress);
const gzip = promisify(zlib.gzip);

/** Text formats worth compressing. Source maps are left out: only developer tools fetch them, and the server compresses them on the fly. */
const compressible = /\.(?:js|mjs|css|html|svg|json|webmanifest|txt|xml)$/;
/** Below this a compressed copy saves less than the headers it costs (the server's own threshold too). */
const minimumBytes = 1024;

export type PrecompressedFile = { file: string; bytes: number; brotli: number; gzip: number };

/**
 * Writes `name.br` (brotli, best quality) and `name.gz` (gzip level 9) next to every text asset
 * under `dir`, so the server sends the smallest copy the browser accepts without compressing on
 * each request (issue 16: a school laptop on a shared connection). Done once at build time, the
 * slow best-quality settings cost nothing per request. A copy is written only when it is smaller.
 */
export async function precompressDirectory(dir: string): Promise<PrecompressedFile[]> {
  const entries = await fs.readdir(dir, { recursive: true, withFileTypes: true });
  const files = entries.filter((entry) => entry.isFile() && compressible.test(entry.name)).map((entry) => path.join(entry.parentPath, entry.name));
  return Promise.all(
    files.map(async (file): Promise<PrecompressedFile> => {
      const content = await fs.readFile(file);
      if (content.length < minimumBytes) return { file, bytes: content.length, brotli: content.length, gzip: content.length };
      const [br, gz] = await Promise.all([
        brotli(content, {
          params: {
            [zlib.constants.BROTLI_PARAM_MODE]: zlib.constants.BROTLI_MODE_TEXT,
            [zlib.constants.BROTLI_PARAM_QUALITY]: zlib.constants.BROTLI_MAX_QUALITY,
            [zlib.constants.BROTLI_PARAM_SIZE_HINT]: content.length,
          },
        }),
        gzip(content, { level: zlib.constants.Z_BEST_COMPRESSION }),
      ]);
      if (br.length < content.length) await fs.writeFile(`${file}.br`, br);
      if (gz.length < content.length) await fs.writeFile(`${file}.gz`, gz);
      return { file, bytes: content.length, brotli: Math.min(br.length, content.length), gzip: Math.min(gz.length, content.length) };
    }),
  );
}

/** Vite build step: precompresses the finished output folder (public files included). */
export function precompress(): Plugin {
  let outDir = '';
  let writes = true;
  return {
    name: 'haven-precompress',
    apply: 'build',
    configResolved(config) {
      outDir = path.resolve(config.root, config.build.outDir);
      writes = config.build.write !== false;
    },
    async closeBundle() {
      if (!writes) return;
      const files = await precompressDirectory(outDir);
      const size = (pick: (file: PrecompressedFile) => number) => `${Math.round(files.reduce((sum, file) => sum + pick(file), 0) / 1024)} KB`;
      this.info(`precompressed ${files.length} files: ${size((f) => f.bytes)} -> ${size((f) => f.brotli)} brotli, ${size((f) => f.gzip)} gzip`);
    },
  };
}
