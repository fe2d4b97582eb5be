import { useEffect, useState } from 'preact/hooks';
import type { PresenceHealthItem, PresenceMapping } from '../../presence/index.js';
import { ConfirmDialog } from '../components/dialog.js';
import { Checkbox } from '../components/fields.js';
import { FormNotice } from '../components/notice.js';
import { Card } from '../components/section.js';
import { createFormState, submitForm } from '../forms/form.js';
import { useStores } from '../stores/context.js';
import { EXTENSION_STATUSES, TEAMS_ACTIVITIES, TEAMS_AVAILABILITIES } from '../../../shared/presence.js';

type Value = PresenceMapping['availability']['Available'];
const VALUES: readonly Value[] = [...EXTENSION_STATUSES, 'no_change'];

function ValueSelect({ id, label, value, onChange, allowUnset }: { id: string; label: string; value: Value | undefined; onChange: (v: Value | undefined) => void; allowUnset?: boolean }) {
  const { i18n } = useStores();
  return (
    <tr>
      <th scope="row">
        <label for={id}>{label}</label>
      </th>
      <td>
        <select id={id} value={value ?? ''} onChange={(e) => onChange((e.currentTarget.value || undefined) as Value | undefined)}>
          {allowUnset && <option value="">{i18n.t('presence.useAvailability')}</option>}
          {VALUES.map((v) => (
            <option key={v} value={v}>
              {i18n.t(`presenceStatus.${v}`)}
            </option>
          ))}
        </select>
      </td>
    </tr>
  );
}

/** One user's mapping of every Teams availability (and optional activities) to an extension status. */
export function MappingEditor({ user, onClose }: { user: PresenceHealthItem; onClose: () => void }) {
  const { i18n, api, presenceHealth } = useStores();
  const [form] = useState(createFormState);
  const [mapping, setMapping] = useState<PresenceMapping | null>(null);
  const [askAll, setAskAll] = useState(false);
  useEffect(() => {
    api.presence.mapping(user.extensionId).then(setMapping, () => setMapping(null));
  }, [user.extensionId]);
  if (!mapping) return null;
  const setActivity = (name: (typeof TEAMS_ACTIVITIES)[number], v: Value | undefined) => {
    const activity = { ...mapping.activity };
    if (v) activity[name] = v;
    else delete activity[name];
    setMapping({ ...mapping, activity });
  };
  const saveForUser = () =>
    void submitForm(form, () => ({}), async () => {
      setMapping(await api.presence.putMapping(user.extensionId, mapping));
      await presenceHealth.load();
      return { key: 'presence.mappingSaved', params: { name: user.displayName } };
    });
  const saveForAll = () =>
    void submitForm(form, () => ({}), async () => {
      const { updated } = await api.presence.putMappingForAll(mapping);
      await presenceHealth.load();
      return { key: 'presence.mappingSavedAll', params: { count: updated } };
    });
  return (
    <Card id="mapping-editor" title={i18n.t('presence.mappingFor', { name: user.displayName, number: user.number })}>
      <Checkbox
        id="mapping-enabled"
        label={i18n.t('presence.mappingEnabled')}
        checked={mapping.enabled}
        onChange={(enabled) => setMapping({ ...mapping, enabled })}
      />
      <div class="table-wrap">
        <table class="table mapping">
          <caption>{i18n.t('presence.availabilities')}</caption>
          <tbody>
            {TEAMS_AVAILABILITIES.map((a) => (
              <ValueSelect
                key={a}
                id={`map-${a}`}
                label={i18n.t(`teams.availability.${a}`)}
                value={mapping.availability[a]}
                onChange={(v) => setMapping({ ...mapping, availability: { ...mapping.availability, [a]: v ?? 'no_change' } })}
              />
            ))}
          </tbody>
        </table>
        <table class="table mapping">
          <caption>{i18n.t('presence.activities')}</caption>
          <tbody>
            {TEAMS_ACTIVITIES.map((a) => (
              <ValueSelect key={a} id={`map-${a}`} label={i18n.t(`teams.activity.${a}`)} value={mapping.activity[a]} onChange={(v) => setActivity(a, v)} allowUnset />
            ))}
          </tbody>
        </table>
      </div>
      <FormNotice form={form} />
      <div class="actions">
        <button type="button" disabled={form.busy.value} onClick={saveForUser}>
          {i18n.t('presence.saveForUser')}
        </button>
        <button type="button" class="secondary" disabled={form.busy.value} onClick={() => setAskAll(true)}>
          {i18n.t('presence.saveForAll')}
        </button>
        <button type="button" class="secondary" onClick={onClose}>
          {i18n.t('common.close')}
        </button>
      </div>
      <ConfirmDialog
        id="mapping-all"
        open={askAll}
        title={i18n.t('presence.saveForAllTitle')}
        confirmLabel={i18n.t('presence.saveForAll')}
        onCancel={() => setAskAll(false)}
        onConfirm={() => {
          setAskAll(false);
          saveForAll();
        }}
      >
        <p>{i18n.t('presence.saveForAllText')}</p>
      </ConfirmDialog>
    </Card>
  );
}
