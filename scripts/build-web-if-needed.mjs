// `npm start` builds the web app only when it is missing or older than its sources.
import { execSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';

const newest = (dir) =>
  fs.readdirSync(dir, { withFileTypes: true }).reduce((latest, entry) => {
    const full = path.join(dir, entry.name);
    return Math.max(latest, entry.isDirectory() ? newest(full) : fs.statSync(full).mtimeMs);
  }, 0);

const built = 'web/dist/index.html';
const sourcesChanged = !fs.existsSync(built) || Math.max(newest('web/src'), fs.statSync('web/index.html').mtimeMs) > fs.statSync(built).mtimeMs;
if (sourcesChanged) {
  console.log('Building the web app (first start, or its sources changed)...');
  execSync('npx vite build --config web/vite.config.ts --logLevel warn', { stdio: 'inherit' });
}
