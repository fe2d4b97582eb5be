import { useEffect } from 'preact/hooks';
import type { UserSyncSettings } from '../../directory/index.js';
import { Checkbox, RadioGroup, SelectField, TextField } from '../components/fields.js';
import { GroupPicker } from '../components/group-picker.js';
import { Notice } from '../components/notice.js';
import { Card, Section } from '../components/section.js';
import { PausableSettings, SettingsForm } from '../components/settings-form.js';
import type { FieldErrors, Message } from '../forms/form.js';
import { collect, digits, intRange, required } from '../forms/validate.js';
import { useStores } from '../stores/context.js';
import type { SettingsStore } from '../stores/settings.js';
import { NUMBER_PROPERTIES } from '../../../shared/directory.js';
import { UserSyncRules } from './user-sync-rules.js';

type Store = SettingsStore<UserSyncSettings>;
type Scope = UserSyncSettings['scope'];
type Numbering = UserSyncSettings['numbering'];

/** The range end, when given, must be digits and not below the start. */
function endProblem(numbering: Numbering): Message | undefined {
  if (numbering.kind !== 'auto' || numbering.end === undefined) return undefined;
  const problem = digits(numbering.end);
  if (problem || digits(numbering.start)) return problem;
  return BigInt(numbering.end) < BigInt(numbering.start) ? { key: 'userSync.endBelowStart' } : undefined;
}

function validate(s: UserSyncSettings): FieldErrors {
  const scope = s.scope;
  const numbering = s.numbering;
  return collect({
    'scope.userTypes': scope.kind === 'userType' && scope.userTypes.length === 0 ? { key: 'userSync.pickUserType' } : undefined,
    'scope.groupIds': scope.kind === 'groups' && scope.groupIds.length === 0 ? { key: 'groupPicker.pickOne' } : undefined,
    'scope.filter': scope.kind === 'filter' ? required(scope.filter) : undefined,
    'numbering.start': numbering.kind === 'auto' ? digits(numbering.start) : undefined,
    'numbering.end': endProblem(numbering),
    'numbering.digits': numbering.kind === 'property' && numbering.digits !== undefined ? intRange(numbering.digits, 2, 15) : undefined,
    maxExtensions: intRange(s.maxExtensions, 1, 1_000_000),
    'deletionGuard.minimum': intRange(s.deletionGuard.minimum, 0, 1_000_000),
    'deletionGuard.percent': intRange(s.deletionGuard.percent, 0, 100),
  });
}

function ScopeEditor({ store, scope }: { store: Store; scope: Scope }) {
  const { i18n } = useStores();
  const setScope = (next: Scope) => store.edit((s) => ({ ...s, scope: next }));
  const errors = store.form.errors.value;
  return (
    <Card id="user-scope" title={i18n.t('userSync.scope')}>
      <RadioGroup
        name="user-scope"
        legend={i18n.t('userSync.scopeWhich')}
        value={scope.kind}
        options={[
          { value: 'all', label: i18n.t('userSync.scopeAll') },
          { value: 'userType', label: i18n.t('userSync.scopeUserType') },
          { value: 'groups', label: i18n.t('userSync.scopeGroups') },
          { value: 'filter', label: i18n.t('userSync.scopeFilter') },
        ]}
        onChange={(kind) =>
          setScope(
            kind === 'all'
              ? { kind }
              : kind === 'userType'
                ? { kind, userTypes: ['Member'] }
                : kind === 'groups'
                  ? { kind, groupIds: [] }
                  : { kind, filter: '' },
          )
        }
      />
      {scope.kind === 'userType' && (
        <fieldset>
          <legend>{i18n.t('userSync.userTypes')}</legend>
          {(['Member', 'Guest'] as const).map((type) => (
            <Checkbox
              key={type}
              id={`user-type-${type}`}
              label={i18n.t(`userSync.userType.${type}`)}
              checked={scope.userTypes.includes(type)}
              onChange={(on) =>
                setScope({ kind: 'userType', userTypes: on ? [...scope.userTypes, type] : scope.userTypes.filter((t) => t !== type) })
              }
            />
          ))}
          {errors['scope.userTypes'] && <Notice kind="error" message={errors['scope.userTypes']} />}
        </fieldset>
      )}
      {scope.kind === 'groups' && (
        <GroupPicker
          id="user-scope-groups"
          label={i18n.t('userSync.scopeGroupsPick')}
          selected={scope.groupIds}
          error={errors['scope.groupIds']}
          onChange={(groupIds) => setScope({ kind: 'groups', groupIds })}
        />
      )}
      {scope.kind === 'filter' && (
        <TextField
          id="user-scope-filter"
          name="scope.filter"
          label={i18n.t('userSync.filter')}
          hint={i18n.t('userSync.filterHint')}
          value={scope.filter}
          onInput={(filter) => setScope({ kind: 'filter', filter })}
          form={store.form}
        />
      )}
    </Card>
  );
}

function NumberingEditor({ store, numbering }: { store: Store; numbering: Numbering }) {
  const { i18n } = useStores();
  const setNumbering = (next: Numbering) => store.edit((s) => ({ ...s, numbering: next }));
  return (
    <Card id="user-numbering" title={i18n.t('userSync.numbering')}>
      <RadioGroup
        name="numbering"
        legend={i18n.t('userSync.numberingHow')}
        value={numbering.kind}
        options={[
          { value: 'auto', label: i18n.t('userSync.numberingAuto') },
          { value: 'property', label: i18n.t('userSync.numberingProperty') },
        ]}
        onChange={(kind) =>
          setNumbering(kind === 'auto' ? { kind, start: '1000', end: '9999' } : { kind, property: 'businessPhones', digits: 4 })
        }
      />
      {numbering.kind === 'auto' ? (
        <div class="row">
          <TextField
            id="numbering-start"
            name="numbering.start"
            label={i18n.t('userSync.start')}
            value={numbering.start}
            onInput={(start) => setNumbering({ ...numbering, start })}
            form={store.form}
          />
          <TextField
            id="numbering-end"
            name="numbering.end"
            label={i18n.t('userSync.end')}
            hint={i18n.t('userSync.endHint')}
            value={numbering.end ?? ''}
            onInput={(end) => setNumbering(end === '' ? { kind: 'auto', start: numbering.start } : { ...numbering, end })}
            form={store.form}
          />
        </div>
      ) : (
        <div class="row">
          <SelectField
            id="numbering-property"
            label={i18n.t('userSync.property')}
            value={numbering.property}
            options={NUMBER_PROPERTIES.map((p) => ({ value: p, label: p }))}
            onChange={(property) => setNumbering({ ...numbering, property })}
          />
          <TextField
            id="numbering-digits"
            name="numbering.digits"
            type="number"
            label={i18n.t('userSync.lastDigits')}
            hint={i18n.t('userSync.lastDigitsHint')}
            value={numbering.digits === undefined ? '' : String(numbering.digits)}
            onInput={(v) =>
              setNumbering(v === '' ? { kind: 'property', property: numbering.property } : { ...numbering, digits: Number(v) })
            }
            form={store.form}
          />
        </div>
      )}
    </Card>
  );
}

export function UserSync() {
  const { i18n, userSync } = useStores();
  useEffect(() => {
    void userSync.load();
  }, [userSync]);
  const draft = userSync.draft.value;
  return (
    <Section id="user-sync" title={i18n.t('userSync.title')} intro={i18n.t('userSync.intro')}>
      {userSync.loadError.value && <Notice kind="error" message={userSync.loadError.value} />}
      {draft && (
        <SettingsForm id="user-sync" store={userSync} validate={validate} askOnPause>
          <Checkbox
            id="user-sync-enabled"
            label={i18n.t('userSync.enabled')}
            hint={i18n.t('userSync.enabledHint')}
            checked={draft.enabled}
            onChange={(enabled) => userSync.edit((s) => ({ ...s, enabled }))}
          />
          <PausableSettings id="user-sync" store={userSync}>
            <ScopeEditor store={userSync} scope={draft.scope} />
            <NumberingEditor store={userSync} numbering={draft.numbering} />
            <UserSyncRules store={userSync} settings={draft} />
          </PausableSettings>
        </SettingsForm>
      )}
    </Section>
  );
}
