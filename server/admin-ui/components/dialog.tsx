import type { ComponentChildren } from 'preact';
import { useEffect, useRef } from 'preact/hooks';
import { useStores } from '../stores/context.js';

interface ConfirmDialogProps {
  id: string;
  open: boolean;
  title: string;
  confirmLabel: string;
  danger?: boolean;
  busy?: boolean;
  onConfirm: () => void;
  onCancel: () => void;
  children: ComponentChildren;
}

/** A modal confirmation (native <dialog>: focus trap, Escape to cancel). */
export function ConfirmDialog(props: ConfirmDialogProps) {
  const { i18n } = useStores();
  const ref = useRef<HTMLDialogElement>(null);
  useEffect(() => {
    const dialog = ref.current;
    if (!dialog) return;
    if (props.open && !dialog.open) dialog.showModal();
    if (!props.open && dialog.open) dialog.close();
  }, [props.open]);
  const titleId = `${props.id}-title`;
  return (
    <dialog ref={ref} id={props.id} aria-labelledby={titleId} onCancel={props.onCancel}>
      <form
        method="dialog"
        onSubmit={(e) => {
          e.preventDefault();
          props.onConfirm();
        }}
      >
        <h2 id={titleId}>{props.title}</h2>
        {props.children}
        <div class="actions">
          <button type="button" class="secondary" onClick={props.onCancel}>
            {i18n.t('common.cancel')}
          </button>
          <button type="submit" class={props.danger ? 'danger' : ''} disabled={props.busy}>
            {props.confirmLabel}
          </button>
        </div>
      </form>
    </dialog>
  );
}
