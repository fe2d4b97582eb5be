import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { defineConfig, type Plugin } from 'vite';

/**
 * The SDK as an ES module library in dist/sdk (`npx vite build -c sdk/vite.config.ts`), with
 * @azure/msal-browser left to the application (a peer dependency). Type declarations come from
 * `npx tsc -p sdk/tsconfig.build.json`. A package.json makes dist/sdk installable as `ucbridge-sdk`.
 */
const here = (path: string) => fileURLToPath(new URL(path, import.meta.url));

/** dist/sdk/package.json: the entry points and, from the root package.json, the version and peer ranges. */
function sdkPackageJson(): Plugin {
  const root = JSON.parse(readFileSync(here('../package.json'), 'utf8')) as { version: string; license: string; dependencies: Record<string, string>; devDependencies: Record<string, string> };
  const entry = (name: string) => ({ types: `./types/sdk/${name}.d.ts`, import: `./${name}.js` });
  const manifest = {
    name: 'ucbridge-sdk',
    version: root.version,
    license: root.license,
    type: 'module',
    exports: { '.': entry('index'), './redirect-bridge': entry('redirect-bridge') },
    peerDependencies: { '@azure/msal-browser': root.devDependencies['@azure/msal-browser'], zod: root.dependencies.zod },
    // zod only for the type declarations (the runtime code is bundled).
    peerDependenciesMeta: { zod: { optional: true } },
  };
  return {
    name: 'ucbridge-sdk-package-json',
    generateBundle() {
      this.emitFile({ type: 'asset', fileName: 'package.json', source: `${JSON.stringify(manifest, null, 2)}\n` });
    },
  };
}

export default defineConfig({
  logLevel: 'warn',
  plugins: [sdkPackageJson()],
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
