import type { UserSyncSettings } from '../../directory/index.js';
import { Checkbox, RadioGroup, TextField } from '../components/fields.js';
import { Card } from '../components/section.js';
import { numberText, parseNumber } from '../forms/validate.js';
import { useStores } from '../stores/context.js';
import type { SettingsStore } from '../stores/settings.js';

type Store = SettingsStore<UserSyncSettings>;

/** Deprovisioning, linking, capacity and the deletion guard of user sync. */
export function UserSyncRules({ store, settings }: { store: Store; settings: UserSyncSettings }) {
  const { i18n } = useStores();
  const edit = (patch: Partial<UserSyncSettings>) => store.edit((s) => ({ ...s, ...patch }));
  const guard = settings.deletionGuard;
  return (
    <>
      <Card id="user-deprovisioning" title={i18n.t('userSync.deprovisioning')}>
        <Checkbox
          id="delete-disabled"
          label={i18n.t('userSync.deleteDisabled')}
          checked={settings.deleteWhen.disabled}
          onChange={(disabled) => edit({ deleteWhen: { ...settings.deleteWhen, disabled } })}
        />
        <Checkbox
          id="delete-deleted"
          label={i18n.t('userSync.deleteDeleted')}
          checked={settings.deleteWhen.deleted}
          onChange={(deleted) => edit({ deleteWhen: { ...settings.deleteWhen, deleted } })}
        />
        <RadioGroup
          name="user-out-of-scope"
          legend={i18n.t('sync.outOfScope')}
          value={settings.outOfScope}
          options={[
            { value: 'delete', label: i18n.t('sync.outOfScopeDelete') },
            { value: 'release', label: i18n.t('sync.outOfScopeRelease') },
          ]}
          onChange={(outOfScope) => edit({ outOfScope })}
        />
      </Card>
      <Card id="user-linking" title={i18n.t('userSync.linking')}>
        <RadioGroup
          name="same-email"
          legend={i18n.t('userSync.sameEmail')}
          value={settings.sameEmail}
          options={[
            { value: 'link', label: i18n.t('userSync.sameEmailLink') },
            { value: 'skip', label: i18n.t('userSync.sameEmailSkip') },
          ]}
          onChange={(sameEmail) => edit({ sameEmail })}
        />
        <Checkbox
          id="welcome-email"
          label={i18n.t('userSync.welcomeEmail')}
          hint={i18n.t('userSync.welcomeEmailHint')}
          checked={settings.welcomeEmail}
          onChange={(welcomeEmail) => edit({ welcomeEmail })}
          form={store.form}
          name="welcomeEmail"
        />
        <Checkbox
          id="caller-id"
          label={i18n.t('userSync.callerId')}
          checked={settings.businessPhoneAsCallerId}
          onChange={(businessPhoneAsCallerId) => edit({ businessPhoneAsCallerId })}
        />
        <TextField
          id="max-extensions"
          name="maxExtensions"
          type="number"
          label={i18n.t('userSync.maxExtensions')}
          hint={i18n.t('userSync.maxExtensionsHint')}
          value={numberText(settings.maxExtensions)}
          onInput={(v) => edit({ maxExtensions: parseNumber(v) })}
          form={store.form}
        />
      </Card>
      <Card id="deletion-guard" title={i18n.t('guard.title')}>
        <Checkbox
          id="guard-enabled"
          label={i18n.t('guard.enabled')}
          hint={i18n.t('guard.hint')}
          checked={guard.enabled}
          onChange={(enabled) => edit({ deletionGuard: { ...guard, enabled } })}
        />
        <div class="row">
          <TextField
            id="guard-minimum"
            name="deletionGuard.minimum"
            type="number"
            label={i18n.t('guard.minimum')}
            value={numberText(guard.minimum)}
            onInput={(v) => edit({ deletionGuard: { ...guard, minimum: parseNumber(v) } })}
            form={store.form}
            disabled={!guard.enabled}
          />
          <TextField
            id="guard-percent"
            name="deletionGuard.percent"
            type="number"
            label={i18n.t('guard.percent')}
            value={numberText(guard.percent)}
            onInput={(v) => edit({ deletionGuard: { ...guard, percent: parseNumber(v) } })}
            form={store.form}
            disabled={!guard.enabled}
          />
        </div>
      </Card>
    </>
  );
}
