import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';
import { precompress } from './precompress.ts';

/**
 * Libraries the first screen needs, as chunks of their own: they change far less often than
 * Haven's code, so after an upgrade of Haven a browser keeps them from its cache. Only what the
 * entry loads goes in (`$initial`); components only some pages use are split with those pages.
 */
const vendorChunks = [
  { name: 'react', test: /node_modules[\\/](?:react|react-dom|scheduler|react-router)[\\/]/, priority: 3 },
  { name: 'i18n', test: /node_modules[\\/](?:i18next|react-i18next)[\\/]/, priority: 2 },
  { name: 'vendor', test: /node_modules[\\/]/, priority: 1, tags: ['$initial' as const] },
];

// The staff web app. `npm run build` writes web/dist, which the Haven server serves.
// `npx vite --config web/vite.config.ts` runs it with hot reload against a server on :3000.
// Each page is loaded on first visit (see src/lazyPage.tsx) and every text asset is written
// precompressed beside itself (.br, .gz) for the server to send (issue 16).
export default defineConfig({
  root: 'web',
  publicDir: 'src/public',
  plugins: [react(), precompress()],
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    sourcemap: true,
    chunkSizeWarningLimit: 400,
    rolldownOptions: { output: { codeSplitting: { groups: vendorChunks } } },
  },
  server: { proxy: { '/api': 'http://127.0.0.1:3000', '/healthz': 'http://127.0.0.1:3000' } },
});
