import type { ComponentChildren } from 'preact';
import { useState } from 'preact/hooks';
import type { OnDisable } from '../api/endpoints.js';
import type { FieldErrors } from '../forms/form.js';
import { useStores } from '../stores/context.js';
import type { SettingsStore } from '../stores/settings.js';
import { ConfirmDialog } from './dialog.js';
import { RadioGroup } from './fields.js';
import { FormNotice, Notice } from './notice.js';

interface SettingsFormProps<T extends object> {
  id: string;
  store: SettingsStore<T>;
  validate: (value: T) => FieldErrors;
  /** Ask keep/delete when the save switches a running sync off (user and group sync). */
  askOnPause?: boolean;
  children: ComponentChildren;
}

/**
 * A settings editor's form: validates and saves; switching a running sync off first asks
 * whether its synced objects are deleted or kept read-only.
 */
export function SettingsForm<T extends object>({ id, store, validate, askOnPause = false, children }: SettingsFormProps<T>) {
  const { i18n } = useStores();
  const [asking, setAsking] = useState(false);
  const [onDisable, setOnDisable] = useState<OnDisable>('keep');
  const onSubmit = (e: Event) => {
    e.preventDefault();
    if (askOnPause && store.pausing()) setAsking(true);
    else void store.save(validate);
  };
  return (
    <form onSubmit={onSubmit} noValidate>
      {children}
      <FormNotice form={store.form} />
      <div class="actions">
        <button type="submit" disabled={store.form.busy.value}>
          {i18n.t('common.save')}
        </button>
      </div>
      <ConfirmDialog
        id={`${id}-pause`}
        open={asking}
        title={i18n.t('pause.title')}
        confirmLabel={i18n.t('pause.confirm')}
        danger={onDisable === 'delete'}
        onCancel={() => setAsking(false)}
        onConfirm={() => {
          setAsking(false);
          void store.save(validate, onDisable);
        }}
      >
        <p>{i18n.t('pause.text')}</p>
        <RadioGroup
          name={`${id}-on-disable`}
          legend={i18n.t('pause.synced')}
          value={onDisable}
          options={[
            { value: 'keep', label: i18n.t('pause.keep') },
            { value: 'delete', label: i18n.t('pause.delete') },
          ]}
          onChange={setOnDisable}
        />
      </ConfirmDialog>
    </form>
  );
}

/**
 * The settings of a sync below its on/off switch. A paused sync's settings are kept read-only
 * (SPEC §2; the server refuses changes with `settings_read_only`): the controls are disabled
 * until the admin switches the sync on, and a resuming save may carry changes.
 */
export function PausableSettings<T extends object>({ id, store, children }: { id: string; store: SettingsStore<T>; children: ComponentChildren }) {
  const paused = store.paused();
  return (
    <>
      {paused && <Notice kind="info" message={{ key: 'pause.readOnly' }} />}
      <fieldset id={`${id}-settings`} class="settings-body" disabled={paused}>
        {children}
      </fieldset>
    </>
  );
}
