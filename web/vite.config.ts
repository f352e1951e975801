import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

// The staff web app. `npm run build` writes web/dist, which the Haven server serves.
// `npx vite --config web/vite.config.ts` runs it with hot reload against a server on :3000.
export default defineConfig({
  root: 'web',
  publicDir: 'src/public',
  plugins: [react()],
  build: { outDir: 'dist', emptyOutDir: true, sourcemap: true, chunkSizeWarningLimit: 1200 },
  server: { proxy: { '/api': 'http://127.0.0.1:3000', '/healthz': 'http://127.0.0.1:3000' } },
});
