import react from '@vitejs/plugin-react';
import { defineConfig } from 'vitest/config';

// In `npm run dev`, /api is proxied to the Rust admin listener (override with MIKROBILL_API).
const apiTarget = process.env.MIKROBILL_API ?? 'http://127.0.0.1:7878';

export default defineConfig({
  plugins: [react()],
  base: '/',
  build: { outDir: 'dist', emptyOutDir: true, sourcemap: false, chunkSizeWarningLimit: 1024 },
  server: { proxy: { '/api': { target: apiTarget, changeOrigin: false } } },
  test: { environment: 'node', include: ['src/**/*.test.ts'] },
});
