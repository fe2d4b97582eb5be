import { cpSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import preact from '@preact/preset-vite';
import { build, defineConfig, type Plugin } from 'vite';
import { ICON_SIZES, iconPng } from './build/icons.js';
import { BACKGROUND_FILE, manifestFor, type Manifest, type TargetBrowser } from './build/manifest.js';
import { zipDirectory } from './build/zip.js';

/**
 * Builds the browser extension:
 *   dist/extension/chrome/   MV3, background service worker
 *   dist/extension/firefox/  MV3, background scripts + browser_specific_settings.gecko
 *   dist/extension/ucbridge-<browser>-<version>.zip   for store upload
 * Run: `npx vite build --config extension/vite.config.ts`.
 *
 * The pages (popup, options) are one multi-page build with shared chunks. The background is a
 * second, single-file IIFE build: Firefox background scripts and Chrome service workers then
 * load the same file with no module loading in either.
 */
const here = (path: string) => fileURLToPath(new URL(path, import.meta.url));
/** Tests build into their own directory (UCBRIDGE_EXTENSION_OUT) so parallel runs never share one. */
const OUT = process.env.UCBRIDGE_EXTENSION_OUT ?? here('../dist/extension');
const TARGETS: readonly TargetBrowser[] = ['chrome', 'firefox'];
const production = { 'process.env.NODE_ENV': JSON.stringify('production') };

const readJson = (path: string): unknown => JSON.parse(readFileSync(path, 'utf8'));

async function buildBackground(outDir: string): Promise<void> {
  await build({
    configFile: false,
    logLevel: 'warn',
    define: production,
    build: {
      outDir,
      emptyOutDir: false,
      target: 'es2022',
      lib: { entry: here('./background/main.ts'), formats: ['iife'], name: 'ucbridgeBackground', fileName: () => BACKGROUND_FILE },
    },
  });
}

function writeStatic(dir: string): void {
  cpSync(here('./_locales'), `${dir}/_locales`, { recursive: true });
  mkdirSync(`${dir}/icons`, { recursive: true });
  for (const size of ICON_SIZES) writeFileSync(`${dir}/icons/${size}.png`, iconPng(size));
}

/** After the pages are built into chrome/: add background, static files, manifests, copies and zips. */
function packageExtension(): Plugin {
  return {
    name: 'ucbridge-package-extension',
    apply: 'build',
    async closeBundle() {
      const chrome = `${OUT}/chrome`;
      await buildBackground(chrome);
      writeStatic(chrome);
      const source = readJson(here('../manifest.json')) as Manifest;
      const { version } = readJson(here('../package.json')) as { version: string };
      rmSync(`${OUT}/firefox`, { recursive: true, force: true });
      cpSync(chrome, `${OUT}/firefox`, { recursive: true });
      for (const target of TARGETS) {
        const dir = `${OUT}/${target}`;
        writeFileSync(`${dir}/manifest.json`, `${JSON.stringify(manifestFor(source, target, version), null, 2)}\n`);
        zipDirectory(dir, `${OUT}/ucbridge-${target}-${version}.zip`);
      }
    },
  };
}

export default defineConfig({
  root: here('.'),
  base: '/',
  publicDir: false,
  plugins: [preact(), packageExtension()],
  build: {
    outDir: `${OUT}/chrome`,
    emptyOutDir: true,
    target: 'es2022',
    modulePreload: { polyfill: false },
    rollupOptions: {
      input: { popup: here('./popup/index.html'), options: here('./options/index.html') },
    },
  },
});
