import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';

/**
 * The SDK as an ES module library in dist/sdk (`npx vite build -c sdk/vite.config.ts`), with
 * @azure/msal-browser left to the application (a peer dependency). Type declarations come from
 * `npx tsc -p sdk/tsconfig.build.json`.
 */
const here = (path: string) => fileURLToPath(new URL(path, import.meta.url));

export default defineConfig({
  logLevel: 'warn',
  build: {
    outDir: here('../dist/sdk'),
    emptyOutDir: false,
    sourcemap: true,
    lib: {
      entry: { index: here('index.ts'), 'redirect-bridge': here('redirect-bridge.ts') },
      formats: ['es'],
    },
    rollupOptions: { external: [/^@azure\/msal-browser/] },
  },
});
