import { useEffect } from 'preact/hooks';
import type { ContactSyncSettings } from '../../contacts/index.js';
import { MailboxPicker } from '../components/directory-pickers.js';
import { Checkbox, RadioGroup, TextField } from '../components/fields.js';
import { GroupPicker } from '../components/group-picker.js';
import { Notice } from '../components/notice.js';
import { Card, Section } from '../components/section.js';
import { SettingsForm } from '../components/settings-form.js';
import type { FieldErrors } from '../forms/form.js';
import { collect, required } from '../forms/validate.js';
import { useStores } from '../stores/context.js';
import { Phonebooks } from './phonebooks.js';

type Personal = ContactSyncSettings['personal'];
type Shared = ContactSyncSettings['shared'];

function validate(s: ContactSyncSettings): FieldErrors {
  return collect({
    'personal.scope.groupIds': s.personal.scope.kind === 'groups' && s.personal.scope.groupIds.length === 0 ? { key: 'groupPicker.pickOne' } : undefined,
    'shared.mailboxes.mailboxIds':
      s.shared.mailboxes.kind === 'selected' && s.shared.mailboxes.mailboxIds.length === 0 ? { key: 'contacts.pickMailbox' } : undefined,
    'shared.phonebookName': required(s.shared.phonebookName),
  });
}

function SettingsCards({ draft }: { draft: ContactSyncSettings }) {
  const { i18n, contacts } = useStores();
  const errors = contacts.settings.form.errors.value;
  const personal = (patch: Partial<Personal>) => contacts.settings.edit((s) => ({ ...s, personal: { ...s.personal, ...patch } }));
  const shared = (patch: Partial<Shared>) => contacts.settings.edit((s) => ({ ...s, shared: { ...s.shared, ...patch } }));
  const { scope } = draft.personal;
  const { mailboxes } = draft.shared;
  return (
    <>
      <Card id="contacts-personal" title={i18n.t('contacts.personal')}>
        <Checkbox id="contacts-personal-enabled" label={i18n.t('contacts.personalEnabled')} hint={i18n.t('contacts.personalHint')} checked={draft.personal.enabled} onChange={(enabled) => personal({ enabled })} />
        <RadioGroup
          name="contacts-personal-scope"
          legend={i18n.t('contacts.personalScope')}
          value={scope.kind}
          options={[
            { value: 'all', label: i18n.t('contacts.personalAll') },
            { value: 'groups', label: i18n.t('contacts.personalGroups') },
          ]}
          onChange={(kind) => personal({ scope: kind === 'all' ? { kind } : { kind, groupIds: [] } })}
        />
        {scope.kind === 'groups' && (
          <GroupPicker
            id="contacts-personal-groups"
            label={i18n.t('contacts.personalPick')}
            selected={scope.groupIds}
            error={errors['personal.scope.groupIds']}
            onChange={(groupIds) => personal({ scope: { kind: 'groups', groupIds } })}
          />
        )}
      </Card>
      <Card id="contacts-shared" title={i18n.t('contacts.shared')}>
        <Checkbox id="contacts-shared-enabled" label={i18n.t('contacts.sharedEnabled')} hint={i18n.t('contacts.sharedHint')} checked={draft.shared.enabled} onChange={(enabled) => shared({ enabled })} />
        <RadioGroup
          name="contacts-mailboxes"
          legend={i18n.t('contacts.mailboxes')}
          value={mailboxes.kind}
          options={[
            { value: 'all', label: i18n.t('contacts.mailboxesAll') },
            { value: 'selected', label: i18n.t('contacts.mailboxesSelected') },
          ]}
          onChange={(kind) => shared({ mailboxes: kind === 'all' ? { kind } : { kind, mailboxIds: [] } })}
        />
        {mailboxes.kind === 'selected' && (
          <MailboxPicker
            id="contacts-mailboxes-pick"
            label={i18n.t('contacts.pickMailboxes')}
            selected={mailboxes.mailboxIds}
            error={errors['shared.mailboxes.mailboxIds']}
            onChange={(mailboxIds) => shared({ mailboxes: { kind: 'selected', mailboxIds } })}
          />
        )}
        <TextField
          id="contacts-phonebook-name"
          name="shared.phonebookName"
          label={i18n.t('contacts.phonebookName')}
          hint={i18n.t('contacts.phonebookNameHint')}
          value={draft.shared.phonebookName}
          onInput={(phonebookName) => shared({ phonebookName })}
          form={contacts.settings.form}
        />
      </Card>
    </>
  );
}

/** "Sync contacts now" and the run it started, followed until it ends; during a run it queues the next one. */
function SyncNow() {
  const { i18n, contacts } = useStores();
  const run = contacts.run.value;
  return (
    <Card id="contacts-run" title={i18n.t('contacts.run')}>
      <div class="actions">
        <button type="button" disabled={run?.status === 'queued'} onClick={() => void contacts.syncNow()}>
          {i18n.t('contacts.syncNow')}
        </button>
      </div>
      {contacts.runProblem.value && <Notice kind="error" message={contacts.runProblem.value} />}
      {run && (
        <p aria-live="polite">
          <span class={`badge badge--${run.status}`} data-contact-run={run.status}>
            {i18n.t(`runStatus.${run.status}`)}
          </span>{' '}
          <span class="muted">{i18n.t('syncLog.summaryText', { ...run.counts })}</span>
        </p>
      )}
      {run?.error && <Notice kind="error" message={{ text: run.error }} />}
    </Card>
  );
}

export function Contacts() {
  const { i18n, contacts } = useStores();
  useEffect(() => {
    void contacts.settings.load();
    void contacts.phonebooks.load();
    return () => contacts.stop();
  }, [contacts]);
  const draft = contacts.settings.draft.value;
  return (
    <Section id="contacts" title={i18n.t('contacts.title')} intro={i18n.t('contacts.intro')}>
      {contacts.settings.loadError.value && <Notice kind="error" message={contacts.settings.loadError.value} />}
      {draft && (
        <SettingsForm id="contacts" store={contacts.settings} validate={validate}>
          <SettingsCards draft={draft} />
        </SettingsForm>
      )}
      <SyncNow />
      <Phonebooks />
    </Section>
  );
}
