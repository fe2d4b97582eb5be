import { useState } from 'preact/hooks';
import type { Extension, ExtensionInput } from '../api/endpoints.js';
import { Checkbox, TextField } from '../components/fields.js';
import { FormNotice, Notice } from '../components/notice.js';
import { Card } from '../components/section.js';
import type { FieldErrors } from '../forms/form.js';
import { collect, digits, emailAddress, phoneNumber } from '../forms/validate.js';
import { useStores } from '../stores/context.js';

type TextFieldName = Exclude<keyof ExtensionInput, 'enabled'>;

/** The editor's text fields, in the order it shows them. */
const TEXT_FIELDS: readonly TextFieldName[] = ['number', 'firstName', 'lastName', 'displayName', 'email', 'mobile', 'businessPhone', 'jobTitle', 'department', 'office', 'callerId'];

const validate = (input: ExtensionInput): FieldErrors =>
  collect({ number: digits(input.number), email: emailAddress(input.email), callerId: phoneNumber(input.callerId) });

function initial(target: Extension | 'new'): ExtensionInput {
  const text = Object.fromEntries(TEXT_FIELDS.map((field) => [field, target === 'new' ? '' : target[field]])) as Record<TextFieldName, string>;
  return { ...text, enabled: target === 'new' ? true : target.enabled };
}

/**
 * Adds a local extension or changes one. On a synced extension the fields Entra ID owns are shown
 * but disabled, and only what the admin changed is sent; a read-only one (sync paused) takes nothing.
 */
export function ExtensionForm({ target }: { target: Extension | 'new' }) {
  const { i18n, extensionEditor } = useStores();
  const [input, setInput] = useState(() => initial(target));
  const existing = target === 'new' ? undefined : target;
  const locked = new Set(existing?.lockedFields ?? []);
  const readOnly = existing?.readOnly === true;
  const overridden = new Set(existing?.overriddenFields ?? []);
  const hint = (field: TextFieldName) =>
    locked.has(field) ? i18n.t('extensions.lockedHint') : overridden.has(field) ? i18n.t('extensions.overriddenHint') : field === 'callerId' ? i18n.t('extensions.callerIdHint') : undefined;
  return (
    <Card id="extension-editor" title={existing ? i18n.t('extensions.editTitle', { number: existing.number }) : i18n.t('extensions.addTitle')}>
      {existing?.source === 'entra' && !readOnly && <Notice kind="info" message={{ key: 'extensions.syncedNote' }} />}
      {readOnly && <Notice kind="info" message={{ key: 'extensions.readOnly' }} />}
      <form
        noValidate
        onSubmit={(e) => {
          e.preventDefault();
          void extensionEditor.save(input, validate);
        }}
      >
        {TEXT_FIELDS.map((field) => (
          <TextField
            key={field}
            id={`extension-${field}`}
            name={field}
            label={i18n.t(`field.${field}`)}
            hint={hint(field)}
            value={input[field]}
            disabled={readOnly || locked.has(field)}
            onInput={(value) => setInput((v) => ({ ...v, [field]: value }))}
            form={extensionEditor.form}
          />
        ))}
        <Checkbox id="extension-enabled" label={i18n.t('directory.enabled')} checked={input.enabled} disabled={readOnly} onChange={(enabled) => setInput((v) => ({ ...v, enabled }))} />
        <FormNotice form={extensionEditor.form} />
        <div class="actions">
          <button type="submit" disabled={readOnly || extensionEditor.form.busy.value}>
            {i18n.t('common.save')}
          </button>
          <button type="button" class="secondary" onClick={() => extensionEditor.edit(null)}>
            {i18n.t('common.cancel')}
          </button>
        </div>
      </form>
    </Card>
  );
}
