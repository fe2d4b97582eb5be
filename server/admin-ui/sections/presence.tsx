import { useEffect, useState } from 'preact/hooks';
import type { PresenceHealthItem, PresenceSyncSettings } from '../../presence/index.js';
import { Checkbox, RadioGroup, TextField } from '../components/fields.js';
import { Notice } from '../components/notice.js';
import { PagedTable } from '../components/paged-table.js';
import { Card, Section } from '../components/section.js';
import { SettingsForm } from '../components/settings-form.js';
import { collect, intRange, numberText, parseNumber } from '../forms/validate.js';
import { useStores } from '../stores/context.js';
import { EXTENSION_STATUSES } from '../../../shared/presence.js';
import { MappingEditor } from './presence-mapping.js';

const validate = (s: PresenceSyncSettings) => collect({ pollSeconds: intRange(s.pollSeconds, 5, 3600) });

function PresenceSettings() {
  const { i18n, presenceSettings: store } = useStores();
  const draft = store.draft.value;
  if (!draft) return store.loadError.value ? <Notice kind="error" message={store.loadError.value} /> : null;
  const edit = (patch: Partial<PresenceSyncSettings>) => store.edit((s) => ({ ...s, ...patch }));
  return (
    <SettingsForm id="presence-settings" store={store} validate={validate}>
      <Checkbox id="presence-enabled" label={i18n.t('presence.enabled')} hint={i18n.t('presence.enabledHint')} checked={draft.enabled} onChange={(enabled) => edit({ enabled })} />
      <RadioGroup
        name="presence-source"
        legend={i18n.t('presence.source')}
        value={draft.source}
        options={(['teams', 'calendar', 'both'] as const).map((v) => ({ value: v, label: i18n.t(`presence.source.${v}`) }))}
        onChange={(source) => edit({ source })}
      />
      <TextField id="pollSeconds" type="number" label={i18n.t('presence.pollSeconds')} value={numberText(draft.pollSeconds)} onInput={(v) => edit({ pollSeconds: parseNumber(v) })} form={store.form} />
      <Checkbox id="presence-reverse" label={i18n.t('presence.reverse')} hint={i18n.t('presence.reverseHint')} checked={draft.reverse} onChange={(reverse) => edit({ reverse })} />
      <fieldset>
        <legend>{i18n.t('presence.protected')}</legend>
        {EXTENSION_STATUSES.map((status) => (
          <Checkbox
            key={status}
            id={`protected-${status}`}
            label={i18n.t(`presenceStatus.${status}`)}
            checked={draft.protectedStatuses.includes(status)}
            onChange={(on) =>
              edit({ protectedStatuses: on ? [...draft.protectedStatuses, status] : draft.protectedStatuses.filter((s) => s !== status) })
            }
          />
        ))}
      </fieldset>
    </SettingsForm>
  );
}

function HealthRow({ row, onEdit }: { row: PresenceHealthItem; onEdit: () => void }) {
  const { i18n } = useStores();
  const format = i18n.format.value;
  const teams = [row.teamsAvailability, row.teamsActivity].filter(Boolean).join(' / ');
  return (
    <tr data-extension={row.number} class={row.lastError ? 'row--problem' : ''}>
      <td>{row.number}</td>
      <td>{row.displayName}</td>
      <td>{row.enabled ? i18n.t('common.yes') : i18n.t('common.no')}</td>
      <td data-status={row.status}>{i18n.t(`presenceStatus.${row.status}`)}</td>
      <td>{i18n.t(`statusSource.${row.source}`)}</td>
      <td>{teams}</td>
      <td>{row.updatedAt ? format.dateTime(row.updatedAt) : ''}</td>
      <td>{row.lastError ?? ''}</td>
      <td>
        <button type="button" class="secondary" onClick={onEdit} aria-label={i18n.t('presence.editMappingOf', { name: row.displayName })}>
          {i18n.t('presence.editMapping')}
        </button>
      </td>
    </tr>
  );
}

export function Presence() {
  const { i18n, presenceSettings, presenceHealth } = useStores();
  const [editing, setEditing] = useState<PresenceHealthItem | null>(null);
  useEffect(() => {
    void presenceSettings.load();
    void presenceHealth.load();
  }, [presenceSettings, presenceHealth]);
  return (
    <Section id="presence" title={i18n.t('presence.title')} intro={i18n.t('presence.intro')}>
      <Card id="presence-sync" title={i18n.t('presence.settings')}>
        <PresenceSettings />
      </Card>
      {editing && <MappingEditor key={editing.extensionId} user={editing} onClose={() => setEditing(null)} />}
      <PagedTable
        list={presenceHealth}
        caption={i18n.t('presence.health')}
        headers={[
          i18n.t('field.number'),
          i18n.t('field.displayName'),
          i18n.t('presence.userEnabled'),
          i18n.t('presence.status'),
          i18n.t('presence.statusSource'),
          i18n.t('presence.teams'),
          i18n.t('presence.updated'),
          i18n.t('presence.lastError'),
          i18n.t('presence.mapping'),
        ]}
        row={(row) => <HealthRow key={row.extensionId} row={row} onEdit={() => setEditing(row)} />}
        empty={i18n.t('presence.none')}
      />
    </Section>
  );
}
