/**
 * The background worker (Chrome: service worker; Firefox: event page). It keeps the status
 * stream of the signed-in user open, shows the status on the toolbar button, and optionally
 * notifies on changes. In Chrome each heartbeat of the stream keeps the worker alive; Firefox
 * still stops an idle event page. An alarm every minute (and every start) brings the stream back,
 * and the last status in `storage.session` survives the sleep.
 */
import { isSessionEnded, type StatusInfo } from '../../sdk/index.js';
import { watchSession } from '../auth/session-store.js';
import { bridgeFor } from '../bridge.js';
import { resolveLanguage, translator, type Translator } from '../i18n/index.js';
import { browser, browserLanguages, hasOrigin, keepWorkerAlive } from '../platform/browser.js';
import { loadSettings, watchSettings } from '../settings/storage.js';
import type { Settings } from '../settings/schema.js';
import { showDisconnected, showSignedOut, showStatus } from './badge.js';
import { clearLastStatus, readLastStatus, writeLastStatus } from './last-status.js';
import { notifyStatusChange } from './notify.js';

const KEEPALIVE_ALARM = 'ucbridge-keep-stream';

/** The open status subscription (the SDK's stream: reconnects with backoff and Last-Event-ID). */
interface Stream {
  stop(): void;
  /** False once the SDK has given up (session ended) or it was stopped. */
  running: boolean;
}

let stream: Stream | undefined;
let starting: Promise<void> | undefined;

const translatorFor = (settings: Settings): Translator => translator(resolveLanguage(settings.language, browserLanguages()));

async function onStatus(settings: Settings, status: StatusInfo): Promise<void> {
  const t = translatorFor(settings);
  const previous = await readLastStatus();
  await writeLastStatus(status);
  await showStatus(t, status);
  const changed = previous !== undefined && previous.status !== status.status;
  if (changed && settings.notifyOnChange) await notifyStatusChange(t, status);
}

async function showLastStatus(t: Translator): Promise<void> {
  const last = await readLastStatus();
  if (last) await showStatus(t, last);
}

async function start(): Promise<void> {
  stream?.stop();
  stream = undefined;
  const settings = await loadSettings();
  const t = translatorFor(settings);
  const client = bridgeFor(settings);
  if (!client || !(await hasOrigin(settings.serverUrl)) || !(await client.hasSession())) {
    await clearLastStatus();
    await showSignedOut(t);
    return;
  }
  // A worker that was stopped cannot know whether the last status is still current: grey until open.
  await showDisconnected(t);
  const current: Stream = { stop: () => undefined, running: true };
  current.stop = client.presence.subscribe((status) => void onStatus(settings, status), {
    onStateChange: (state) => {
      if (state === 'reconnecting') void showDisconnected(t);
      // A resumed stream replays only what was missed (often nothing): undo the grey at once.
      if (state === 'open') void showLastStatus(t);
      if (state === 'closed') current.running = false;
    },
    onHeartbeat: () => void keepWorkerAlive(),
    // Clearing the session fires the session watcher below, which shows the signed-out state.
    onError: (error) => {
      if (isSessionEnded(error)) void client.signOut();
    },
  });
  stream = current;
}

/** Starts once at a time; the alarm and storage events may ask together. */
function restart(): Promise<void> {
  starting ??= start().finally(() => {
    starting = undefined;
  });
  return starting;
}

function ensureRunning(): void {
  if (!stream?.running) void restart();
}

browser.alarms.onAlarm.addListener((alarm) => {
  if (alarm.name === KEEPALIVE_ALARM) ensureRunning();
});
browser.runtime.onStartup.addListener(ensureRunning);
browser.runtime.onInstalled.addListener(ensureRunning);
// Token rotation rewrites the session too; only signing in or out changes what runs.
watchSession((signedIn) => {
  if (signedIn !== (stream !== undefined)) void restart();
});
watchSettings(() => void restart());

void browser.alarms.create(KEEPALIVE_ALARM, { periodInMinutes: 1 });
ensureRunning();
