import type { StatusInfo } from '../../sdk/index.js';
import type { Translator } from '../i18n/index.js';
import { EXTENSION_STATUSES, TEAMS_ACTIVITIES, TEAMS_AVAILABILITIES, type ExtensionStatus } from '../presence.js';
import { useStores, useT } from '../stores/context.js';
import { ProblemLine } from '../ui/problem.js';
import { StatusDot } from '../ui/status-dot.js';

const known = <K extends string>(list: readonly K[], value: string | null): K | undefined =>
  list.find((k) => k.toLowerCase() === value?.toLowerCase());

/** Teams' availability (and activity, when it says more) in words. */
function teamsText(t: Translator, status: StatusInfo): string {
  const availability = known(TEAMS_AVAILABILITIES, status.teamsAvailability);
  if (!availability) return t.t('popup.teamsNone');
  const activity = known(TEAMS_ACTIVITIES, status.teamsActivity);
  const words = t.t(`teamsAvailability.${availability}`);
  return activity ? `${words} · ${t.t(`teamsActivity.${activity}`)}` : words;
}

/** The current extension status, who set it and when, Teams' presence, and the manual picker. */
export function StatusCard() {
  const { status: store } = useStores();
  const t = useT();
  const status = store.status.value;
  const justSet = store.justSet.value;
  return (
    <section aria-labelledby="status-heading">
      <h2 id="status-heading">{t.t('popup.status')}</h2>
      {status ? (
        <>
          <p class="status-name" id="current-status" data-status={status.status}>
            <StatusDot status={status.status} />
            {t.t(`presenceStatus.${status.status}`)}
          </p>
          <p class="muted">
            {status.updatedAt
              ? t.t('popup.statusSince', { source: t.t(`statusSource.${status.source}`), time: t.time(status.updatedAt) })
              : t.t(`statusSource.${status.source}`)}
          </p>
          <p>
            <span class="muted">{t.t('popup.teamsPresence')}: </span>
            <span id="teams-presence">{teamsText(t, status)}</span>
          </p>
        </>
      ) : (
        <p class="muted">{t.t('common.loading')}</p>
      )}
      <label class="row">
        <span>{t.t('popup.setStatus')}</span>
        <select
          id="status-picker"
          value={status?.status ?? ''}
          onChange={(e) => void store.setStatus(e.currentTarget.value as ExtensionStatus)}
        >
          {EXTENSION_STATUSES.map((s) => (
            <option key={s} value={s}>
              {t.t(`presenceStatus.${s}`)}
            </option>
          ))}
        </select>
      </label>
      {justSet && <p class="success">{t.t('popup.statusSet', { status: t.t(`presenceStatus.${justSet}`) })}</p>}
      <ProblemLine problem={store.problem.value} />
    </section>
  );
}
