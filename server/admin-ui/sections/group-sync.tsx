import { useEffect } from 'preact/hooks';
import type { GroupSyncSettings } from '../../directory/index.js';
import { Checkbox, RadioGroup, TextField } from '../components/fields.js';
import { GroupPicker } from '../components/group-picker.js';
import { Notice } from '../components/notice.js';
import { Card, Section } from '../components/section.js';
import { PausableSettings, SettingsForm } from '../components/settings-form.js';
import type { FieldErrors } from '../forms/form.js';
import { collect, intRange, numberText, parseNumber } from '../forms/validate.js';
import { useStores } from '../stores/context.js';

type Scope = GroupSyncSettings['scope'];
const GROUP_TYPES = ['security', 'microsoft365'] as const;

function validate(s: GroupSyncSettings): FieldErrors {
  return collect({
    'scope.types': s.scope.kind === 'types' && s.scope.types.length === 0 ? { key: 'groupSync.pickType' } : undefined,
    'scope.groupIds': s.scope.kind === 'groups' && s.scope.groupIds.length === 0 ? { key: 'groupPicker.pickOne' } : undefined,
    maxGroups: intRange(s.maxGroups, 1, 10_000),
  });
}

export function GroupSync() {
  const { i18n, groupSync } = useStores();
  useEffect(() => {
    void groupSync.load();
  }, [groupSync]);
  const draft = groupSync.draft.value;
  if (!draft) {
    return (
      <Section id="group-sync" title={i18n.t('groupSync.title')}>
        {groupSync.loadError.value && <Notice kind="error" message={groupSync.loadError.value} />}
      </Section>
    );
  }
  const edit = (patch: Partial<GroupSyncSettings>) => groupSync.edit((s) => ({ ...s, ...patch }));
  const setScope = (scope: Scope) => edit({ scope });
  const scope = draft.scope;
  const errors = groupSync.form.errors.value;
  return (
    <Section id="group-sync" title={i18n.t('groupSync.title')} intro={i18n.t('groupSync.intro')}>
      <SettingsForm id="group-sync" store={groupSync} validate={validate} askOnPause>
        <Checkbox
          id="group-sync-enabled"
          label={i18n.t('groupSync.enabled')}
          checked={draft.enabled}
          onChange={(enabled) => edit({ enabled })}
        />
        <PausableSettings id="group-sync" store={groupSync}>
          <Card id="group-scope" title={i18n.t('groupSync.scope')}>
            <RadioGroup
              name="group-scope"
              legend={i18n.t('groupSync.scopeWhich')}
              value={scope.kind}
              options={[
                { value: 'all', label: i18n.t('groupSync.scopeAll') },
                { value: 'types', label: i18n.t('groupSync.scopeTypes') },
                { value: 'groups', label: i18n.t('groupSync.scopeGroups') },
              ]}
              onChange={(kind) =>
                setScope(kind === 'all' ? { kind } : kind === 'types' ? { kind, types: ['security'] } : { kind, groupIds: [] })
              }
            />
            {scope.kind === 'types' && (
              <fieldset>
                <legend>{i18n.t('groupSync.types')}</legend>
                {GROUP_TYPES.map((type) => (
                  <Checkbox
                    key={type}
                    id={`group-type-${type}`}
                    label={i18n.t(`groupSync.type.${type}`)}
                    checked={scope.types.includes(type)}
                    onChange={(on) => setScope({ kind: 'types', types: on ? [...scope.types, type] : scope.types.filter((t) => t !== type) })}
                  />
                ))}
                {errors['scope.types'] && <Notice kind="error" message={errors['scope.types']} />}
              </fieldset>
            )}
            {scope.kind === 'groups' && (
              <GroupPicker
                id="group-scope-groups"
                label={i18n.t('groupSync.pick')}
                selected={scope.groupIds}
                error={errors['scope.groupIds']}
                onChange={(groupIds) => setScope({ kind: 'groups', groupIds })}
              />
            )}
          </Card>
          <Card id="group-rules" title={i18n.t('groupSync.rules')}>
            <RadioGroup
              name="group-out-of-scope"
              legend={i18n.t('sync.outOfScope')}
              value={draft.outOfScope}
              options={[
                { value: 'delete', label: i18n.t('sync.outOfScopeDelete') },
                { value: 'release', label: i18n.t('sync.outOfScopeRelease') },
              ]}
              onChange={(outOfScope) => edit({ outOfScope })}
            />
            <TextField
              id="max-groups"
              name="maxGroups"
              type="number"
              label={i18n.t('groupSync.maxGroups')}
              hint={i18n.t('groupSync.maxGroupsHint')}
              value={numberText(draft.maxGroups)}
              onInput={(v) => edit({ maxGroups: parseNumber(v) })}
              form={groupSync.form}
            />
          </Card>
        </PausableSettings>
      </SettingsForm>
    </Section>
  );
}
