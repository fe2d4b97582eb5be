import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';

/** The example page, bundled with the SDK and msal-browser: `npx vite build -c sdk/example/vite.config.ts`. */
const here = (path: string) => fileURLToPath(new URL(path, import.meta.url));

export default defineConfig({
  root: here('.'),
  base: './',
  logLevel: 'warn',
  build: {
    outDir: here('../../dist/sdk-example'),
    emptyOutDir: true,
    rollupOptions: { input: { index: here('index.html'), redirect: here('redirect.html') } },
  },
});
