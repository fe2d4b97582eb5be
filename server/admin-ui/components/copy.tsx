import { useState } from 'preact/hooks';
import { useStores } from '../stores/context.js';

/** A read-only value with a copy button (redirect URIs the admin pastes into Entra). */
export function CopyValue({ id, label, value }: { id: string; label: string; value: string }) {
  const { i18n } = useStores();
  const [copied, setCopied] = useState(false);
  const copy = () => {
    navigator.clipboard.writeText(value).then(
      () => setCopied(true),
      () => setCopied(false),
    );
  };
  return (
    <div class="field copy">
      <label for={id}>{label}</label>
      <div class="copy-row">
        <input id={id} type="text" readOnly value={value} onFocus={(e) => e.currentTarget.select()} />
        <button type="button" class="secondary" onClick={copy} aria-label={i18n.t('common.copyValue', { what: label })}>
          {copied ? i18n.t('common.copied') : i18n.t('common.copy')}
        </button>
      </div>
    </div>
  );
}
