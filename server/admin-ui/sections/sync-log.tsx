import { useEffect, useState } from 'preact/hooks';
import type { RunView } from '../../directory/index.js';
import { ConfirmDialog } from '../components/dialog.js';
import { Checkbox } from '../components/fields.js';
import { Notice } from '../components/notice.js';
import { Card, Section } from '../components/section.js';
import { useStores } from '../stores/context.js';
import { RunProblems } from './sync-problems.js';

const COUNT_KEYS = ['created', 'updated', 'deleted', 'skipped', 'failed'] as const;

function RunStatus({ run }: { run: RunView }) {
  const { i18n } = useStores();
  return (
    <span class={`badge badge--${run.status}`} data-status={run.status}>
      {i18n.t(`runStatus.${run.status}`)}
    </span>
  );
}

/**
 * Live progress: while the directory is read the bar is indeterminate and counts objects seen;
 * once the plan is made it fills with the changes applied.
 */
function RunProgress({ run }: { run: RunView }) {
  const { i18n } = useStores();
  const { seen, planned, applied } = run.progress;
  const finished = run.status === 'succeeded';
  const label =
    planned > 0
      ? i18n.t('syncLog.progressApplied', { applied, planned })
      : finished
        ? i18n.t('syncLog.progressNothing')
        : i18n.t('syncLog.progressSeen', { seen });
  const [value, max] = finished ? [1, 1] : planned > 0 ? [applied, planned] : [undefined, 1];
  return (
    <div class="progress">
      <progress id="run-progress" aria-label={i18n.t('syncLog.progress')} max={max} value={value} data-finished={finished} />
      <span class="progress-label" aria-live="polite">
        {label}
      </span>
    </div>
  );
}

function Counts({ run }: { run: RunView }) {
  const { i18n } = useStores();
  return (
    <ul class="counts" aria-label={i18n.t('syncLog.counts')}>
      {COUNT_KEYS.map((k) => (
        <li key={k} data-count={k}>
          {i18n.t(`syncLog.count.${k}`, { n: run.counts[k] })}
        </li>
      ))}
    </ul>
  );
}

function HeldRun({ run }: { run: RunView }) {
  const { i18n, syncRuns } = useStores();
  const [asking, setAsking] = useState(false);
  const guard = run.guard;
  return (
    <div class="notice notice--info" role="status">
      <p data-guard>{i18n.t("syncLog.held", { deletes: guard?.deletes ?? 0, limit: guard?.limit ?? 0 })}</p>
      <div class="actions">
        <button type="button" class="danger" onClick={() => setAsking(true)}>
          {i18n.t('syncLog.confirm')}
        </button>
        <button type="button" class="secondary" disabled={syncRuns.busy.value} onClick={() => void syncRuns.cancel(run.id)}>
          {i18n.t('syncLog.cancelRun')}
        </button>
      </div>
      <ConfirmDialog
        id="confirm-held-run"
        open={asking}
        title={i18n.t('syncLog.confirmTitle')}
        confirmLabel={i18n.t('syncLog.confirmDeletes', { deletes: guard?.deletes ?? 0 })}
        danger
        busy={syncRuns.busy.value}
        onCancel={() => setAsking(false)}
        onConfirm={() => {
          setAsking(false);
          void syncRuns.confirm(run.id);
        }}
      >
        <p>{i18n.t('syncLog.confirmText', { deletes: guard?.deletes ?? 0 })}</p>
      </ConfirmDialog>
    </div>
  );
}

/** A run waiting for the running one: it starts by itself; the admin may drop it before it does. */
function QueuedRun({ run }: { run: RunView }) {
  const { i18n, syncRuns } = useStores();
  return (
    <div class="notice notice--info" role="status">
      <p data-queued>{i18n.t('syncLog.queued')}</p>
      <div class="actions">
        <button type="button" class="secondary" disabled={syncRuns.busy.value} onClick={() => void syncRuns.cancel(run.id)}>
          {i18n.t('syncLog.cancelRun')}
        </button>
      </div>
    </div>
  );
}

function RunDetail({ run }: { run: RunView }) {
  const { i18n } = useStores();
  const format = i18n.format.value;
  return (
    <Card id="run-detail" title={i18n.t('syncLog.runTitle', { trigger: i18n.t(`runTrigger.${run.trigger}`) })}>
      <p>
        <RunStatus run={run} /> {run.startedAt && <span class="muted">{format.dateTime(run.startedAt)}</span>}
      </p>
      {(run.status === 'running' || run.status === 'succeeded') && <RunProgress run={run} />}
      {run.status === 'queued' && <QueuedRun run={run} />}
      {run.status === 'held' && <HeldRun run={run} />}
      {run.error && <Notice kind="error" message={{ text: run.error }} />}
      <Counts run={run} />
      <RunProblems run={run} />
    </Card>
  );
}

function RunList() {
  const { i18n, syncRuns } = useStores();
  const format = i18n.format.value;
  const duration = (run: RunView) =>
    run.startedAt && run.finishedAt ? format.duration(Date.parse(run.finishedAt) - Date.parse(run.startedAt)) : '';
  return (
    <div class="table-wrap">
      <table class="table">
        <caption>{i18n.t('syncLog.history')}</caption>
        <thead>
          <tr>
            <th scope="col">{i18n.t('syncLog.started')}</th>
            <th scope="col">{i18n.t('syncLog.trigger')}</th>
            <th scope="col">{i18n.t('syncLog.status')}</th>
            <th scope="col">{i18n.t('syncLog.duration')}</th>
            <th scope="col">{i18n.t('syncLog.summary')}</th>
          </tr>
        </thead>
        <tbody>
          {syncRuns.runs.value.map((run) => (
            <tr key={run.id} aria-selected={syncRuns.selected.value?.id === run.id}>
              <td>
                <a
                  href="#run-detail"
                  onClick={(e) => {
                    e.preventDefault();
                    void syncRuns.select(run.id);
                  }}
                >
                  {format.dateTime(run.startedAt ?? run.createdAt)}
                </a>
              </td>
              <td>{i18n.t(`runTrigger.${run.trigger}`)}</td>
              <td>
                <RunStatus run={run} />
              </td>
              <td>{duration(run)}</td>
              <td>{i18n.t('syncLog.summaryText', { ...run.counts })}</td>
            </tr>
          ))}
        </tbody>
      </table>
      {syncRuns.nextCursor.value && (
        <button type="button" class="secondary" onClick={() => void syncRuns.load(true)}>
          {i18n.t('common.more')}
        </button>
      )}
    </div>
  );
}

export function SyncLog() {
  const { i18n, syncRuns } = useStores();
  useEffect(() => {
    void syncRuns.load();
    return () => syncRuns.stop();
  }, [syncRuns]);
  const [full, setFull] = useState(false);
  const selected = syncRuns.selected.value;
  // While a run is going, "Sync now" queues one behind it; one queued is enough.
  const queued = selected?.status === 'queued';
  return (
    <Section id="sync-log" title={i18n.t('syncLog.title')} intro={i18n.t('syncLog.intro')}>
      <div class="actions">
        <button type="button" disabled={syncRuns.busy.value || queued} onClick={() => void syncRuns.syncNow(full)}>
          {i18n.t('syncLog.syncNow')}
        </button>
        <Checkbox id="full-sync" label={i18n.t('syncLog.full')} checked={full} onChange={setFull} />
      </div>
      {syncRuns.problem.value && <Notice kind="error" message={syncRuns.problem.value} />}
      {selected && <RunDetail run={selected} />}
      <RunList />
    </Section>
  );
}
