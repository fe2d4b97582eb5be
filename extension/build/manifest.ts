/**
 * Per-browser manifests from the one source manifest (`manifest.json` at the repository root).
 * Chrome runs the background as a service worker and rejects Gecko settings; Firefox runs
 * background scripts (event page) and needs `browser_specific_settings.gecko`.
 */
export type TargetBrowser = 'chrome' | 'firefox';

export type Manifest = Record<string, unknown> & { background?: unknown; browser_specific_settings?: unknown };

export const BACKGROUND_FILE = 'background.js';

export function manifestFor(source: Manifest, target: TargetBrowser, version: string): Manifest {
  const { background: _background, browser_specific_settings: gecko, ...common } = source;
  if (target === 'chrome') {
    return { ...common, version, background: { service_worker: BACKGROUND_FILE } };
  }
  return { ...common, version, background: { scripts: [BACKGROUND_FILE] }, browser_specific_settings: gecko };
}
