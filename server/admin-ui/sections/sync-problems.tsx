import { useState } from 'preact/hooks';
import type { RunView } from '../../directory/index.js';
import { useStores } from '../stores/context.js';

/** The objects a run skipped, failed or synced only in part, with a text filter and a filter by reason. */
export function RunProblems({ run }: { run: RunView }) {
  const { i18n } = useStores();
  const [text, setText] = useState('');
  const [reason, setReason] = useState('');
  if (run.problems.length === 0) return null;
  // Reasons name the value involved ("number 1001 is already used…"); group by their wording.
  const kindOf = (r: string) => r.replace(/'[^']*'|\d+/g, '…');
  const kinds = [...new Set(run.problems.map((p) => kindOf(p.reason)))].sort();
  const needle = text.trim().toLowerCase();
  const shown = run.problems.filter(
    (p) =>
      (reason === '' || kindOf(p.reason) === reason) &&
      (needle === '' || `${p.name} ${p.objectId} ${p.reason}`.toLowerCase().includes(needle)),
  );
  return (
    <div class="problems">
      <h3>{i18n.t('syncLog.problems', { count: run.problems.length })}</h3>
      <div class="toolbar">
        <div class="field">
          <label for="problem-filter">{i18n.t('syncLog.filterText')}</label>
          <input id="problem-filter" type="search" value={text} onInput={(e) => setText(e.currentTarget.value)} />
        </div>
        <div class="field">
          <label for="problem-reason">{i18n.t('syncLog.filterReason')}</label>
          <select id="problem-reason" value={reason} onChange={(e) => setReason(e.currentTarget.value)}>
            <option value="">{i18n.t('syncLog.allReasons')}</option>
            {kinds.map((k) => (
              <option key={k} value={k}>
                {k}
              </option>
            ))}
          </select>
        </div>
      </div>
      <p class="muted" aria-live="polite">
        {i18n.t('syncLog.problemsShown', { shown: shown.length, total: run.problems.length })}
      </p>
      <div class="table-wrap">
        <table class="table">
          <thead>
            <tr>
              <th scope="col">{i18n.t('syncLog.object')}</th>
              <th scope="col">{i18n.t('syncLog.reason')}</th>
              <th scope="col">{i18n.t('syncLog.hint')}</th>
            </tr>
          </thead>
          <tbody>
            {shown.map((p, i) => (
              <tr key={`${p.objectId}-${i}`}>
                <td>
                  {p.name}
                  <br />
                  <code class="muted">{p.objectId}</code>
                </td>
                <td>{p.reason}</td>
                <td>{p.hint}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </div>
  );
}
