import { useState } from 'preact/hooks';
import type { IntegrationView } from '../../integration/index.js';
import { ConfirmDialog } from '../components/dialog.js';
import { Checkbox } from '../components/fields.js';
import { FormNotice } from '../components/notice.js';
import { Card } from '../components/section.js';
import { createFormState, submitForm } from '../forms/form.js';
import { useStores } from '../stores/context.js';

type Action = 'disable' | 'disconnect';

/** Disable / enable / disconnect; the destructive two ask what happens to synced objects. */
export function Lifecycle({ view }: { view: IntegrationView }) {
  const { i18n, integration } = useStores();
  const [form] = useState(createFormState);
  const [asking, setAsking] = useState<Action | null>(null);
  const [choice, setChoice] = useState({ deleteExtensions: false, deleteGroups: false });
  const ask = (action: Action) => {
    setChoice({ deleteExtensions: false, deleteGroups: false });
    setAsking(action);
  };
  const run = (action: 'disable' | 'enable' | 'disconnect') => {
    setAsking(null);
    void submitForm(
      form,
      () => ({}),
      async () => {
        await integration.lifecycle(action, choice);
        return { key: `connection.done.${action}` };
      },
    );
  };
  const keptWord = asking === 'disable' ? i18n.t('connection.keptReadOnly') : i18n.t('connection.keptReleased');
  return (
    <Card id="lifecycle" title={i18n.t('connection.lifecycle')}>
      <p class="muted">{i18n.t('connection.lifecycleIntro')}</p>
      <div class="actions">
        {view.status === 'connected' && (
          <button type="button" class="secondary" disabled={form.busy.value} onClick={() => ask('disable')}>
            {i18n.t('connection.disable')}
          </button>
        )}
        {view.status === 'disabled' && (
          <button type="button" class="secondary" disabled={form.busy.value} onClick={() => run('enable')}>
            {i18n.t('connection.enable')}
          </button>
        )}
        <button type="button" class="danger secondary" disabled={form.busy.value} onClick={() => ask('disconnect')}>
          {i18n.t('connection.disconnect')}
        </button>
      </div>
      <FormNotice form={form} />
      <ConfirmDialog
        id="lifecycle-dialog"
        open={asking !== null}
        title={asking === 'disconnect' ? i18n.t('connection.disconnectTitle') : i18n.t('connection.disableTitle')}
        confirmLabel={asking === 'disconnect' ? i18n.t('connection.disconnect') : i18n.t('connection.disable')}
        danger
        onCancel={() => setAsking(null)}
        onConfirm={() => asking && run(asking)}
      >
        <p>{asking === 'disconnect' ? i18n.t('connection.disconnectText') : i18n.t('connection.disableText')}</p>
        <Checkbox
          id="delete-extensions"
          label={i18n.t('connection.deleteExtensions')}
          hint={choice.deleteExtensions ? i18n.t('connection.willDelete') : keptWord}
          checked={choice.deleteExtensions}
          onChange={(deleteExtensions) => setChoice((c) => ({ ...c, deleteExtensions }))}
        />
        <Checkbox
          id="delete-groups"
          label={i18n.t('connection.deleteGroups')}
          hint={choice.deleteGroups ? i18n.t('connection.willDelete') : keptWord}
          checked={choice.deleteGroups}
          onChange={(deleteGroups) => setChoice((c) => ({ ...c, deleteGroups }))}
        />
      </ConfirmDialog>
    </Card>
  );
}
