import type { ComponentChildren, JSX } from 'preact';
import type { Translator } from '../i18n/index.js';
import { EXTENSION_STATUSES, TEAMS_ACTIVITIES, TEAMS_AVAILABILITIES, type MappingValue } from '../presence.js';
import { useStores, useT } from '../stores/context.js';
import { ProblemLine } from '../ui/problem.js';

const VALUES: readonly MappingValue[] = ['no_change', ...EXTENSION_STATUSES];
/** The activity select's extra choice: no entry of its own, the availability decides. */
const FOLLOW = '';

function ValueOptions({ t, follow }: { t: Translator; follow: boolean }) {
  return (
    <>
      {follow && <option value={FOLLOW}>{t.t('presenceStatus.as_availability')}</option>}
      {VALUES.map((v) => (
        <option key={v} value={v}>
          {t.t(`presenceStatus.${v}`)}
        </option>
      ))}
    </>
  );
}

function MappingRow(props: { id: string; label: string; value: string; follow: boolean; onChange: (v: string) => void }) {
  const t = useT();
  const change = (e: JSX.TargetedEvent<HTMLSelectElement>) => props.onChange(e.currentTarget.value);
  return (
    <tr>
      <th scope="row">
        <label for={props.id}>{props.label}</label>
      </th>
      <td>
        <select id={props.id} value={props.value} onChange={change}>
          <ValueOptions t={t} follow={props.follow} />
        </select>
      </td>
    </tr>
  );
}

function MappingTable({ heading, children }: { heading: string; children: ComponentChildren }) {
  const t = useT();
  return (
    <table class="mapping">
      <thead>
        <tr>
          <th scope="col">{heading}</th>
          <th scope="col">{t.t('options.setsStatus')}</th>
        </tr>
      </thead>
      <tbody>{children}</tbody>
    </table>
  );
}

/** Every Teams availability and activity → an extension status or "no change", saved to the server. */
export function MappingSection() {
  const { session, mapping } = useStores();
  const t = useT();
  const draft = mapping.draft.value;
  const state = session.state.value;
  if (state === 'unconfigured') return null;
  const signedIn = state === 'signed-in';
  return (
    <section aria-labelledby="mapping-heading">
      <h2 id="mapping-heading">{t.t('options.mapping')}</h2>
      {!signedIn && <p class="muted">{t.t('options.signInForMapping')}</p>}
      {signedIn && !draft && <p class="muted">{t.t('common.loading')}</p>}
      {signedIn && draft && (
        <form
          onSubmit={(e) => {
            e.preventDefault();
            void mapping.save();
          }}
        >
          <p class="muted">{t.t('options.mappingIntro')}</p>
          <label class="row">
            <input id="sync-enabled" type="checkbox" checked={draft.enabled} onChange={(e) => mapping.setEnabled(e.currentTarget.checked)} />
            <span>{t.t('options.syncEnabled')}</span>
          </label>
          <MappingTable heading={t.t('options.availabilities')}>
            {TEAMS_AVAILABILITIES.map((name) => (
              <MappingRow
                key={name}
                id={`availability-${name}`}
                label={t.t(`teamsAvailability.${name}`)}
                value={draft.availability[name]}
                follow={false}
                onChange={(v) => mapping.setAvailability(name, v as MappingValue)}
              />
            ))}
          </MappingTable>
          <MappingTable heading={t.t('options.activities')}>
            {TEAMS_ACTIVITIES.map((name) => (
              <MappingRow
                key={name}
                id={`activity-${name}`}
                label={t.t(`teamsActivity.${name}`)}
                value={draft.activity[name] ?? FOLLOW}
                follow
                onChange={(v) => mapping.setActivity(name, v === FOLLOW ? undefined : (v as MappingValue))}
              />
            ))}
          </MappingTable>
          <div class="row">
            <button type="submit" id="save-mapping" class="primary" disabled={mapping.saving.value || !mapping.dirty.value}>
              {mapping.saving.value ? t.t('common.saving') : t.t('options.saveMapping')}
            </button>
            <button type="button" id="reset-mapping" onClick={() => mapping.resetToDefaults()}>
              {t.t('options.resetMapping')}
            </button>
          </div>
          {mapping.saved.value && !mapping.dirty.value && <p class="success" id="mapping-saved">{t.t('options.mappingSaved')}</p>}
          <ProblemLine problem={mapping.problem.value} />
        </form>
      )}
    </section>
  );
}
