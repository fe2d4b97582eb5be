import { useEffect, useState } from 'preact/hooks';
import type { Extension, ExtensionGroup } from '../api/endpoints.js';
import { ConfirmDialog } from '../components/dialog.js';
import { FormNotice } from '../components/notice.js';
import { PagedTable } from '../components/paged-table.js';
import { Section } from '../components/section.js';
import { useStores } from '../stores/context.js';
import { ExtensionForm } from './extension-form.js';

function SourceBadge({ source }: { source: string }) {
  const { i18n } = useStores();
  const synced = source === 'entra';
  return (
    <span class={`badge ${synced ? 'badge--synced' : ''}`} data-source={source}>
      {synced ? i18n.t('directory.synced') : i18n.t('directory.local')}
    </span>
  );
}

/** Which fields Entra owns on this extension, named in the admin's language. */
function LockedFields({ fields }: { fields: string[] }) {
  const { i18n } = useStores();
  if (fields.length === 0) return <span class="muted">{i18n.t('directory.notLocked')}</span>;
  const name = (field: string) => {
    const key = `field.${field}`;
    return i18n.has(key) ? i18n.t(key) : field;
  };
  return (
    <span class="locked-fields" data-locked={fields.join(',')}>
      {fields.map(name).join(', ')}
    </span>
  );
}

function ExtensionRow({ ext, onDelete }: { ext: Extension; onDelete: (ext: Extension) => void }) {
  const { i18n, extensionEditor } = useStores();
  return (
    <tr data-extension={ext.number}>
      <td>{ext.number}</td>
      <td>{ext.displayName}</td>
      <td>{ext.email}</td>
      <td>{ext.department}</td>
      <td>
        <SourceBadge source={ext.source} />
      </td>
      <td>
        <LockedFields fields={ext.lockedFields} />
      </td>
      <td>{ext.enabled ? i18n.t('common.yes') : i18n.t('common.no')}</td>
      <td>
        <div class="actions row-actions">
          <button type="button" class="secondary" onClick={() => extensionEditor.edit(ext)} aria-label={i18n.t('extensions.editOf', { number: ext.number })}>
            {i18n.t('extensions.edit')}
          </button>
          {ext.source === 'local' && (
            <button type="button" class="danger secondary" disabled={extensionEditor.actions.busy.value} onClick={() => onDelete(ext)} aria-label={i18n.t('extensions.deleteOf', { number: ext.number })}>
              {i18n.t('extensions.delete')}
            </button>
          )}
        </div>
      </td>
    </tr>
  );
}

function GroupRow({ group }: { group: ExtensionGroup }) {
  const { i18n } = useStores();
  return (
    <tr data-group={group.name}>
      <td>{group.name}</td>
      <td>
        <SourceBadge source={group.source} />
      </td>
      <td>{i18n.format.value.number(group.memberIds.length)}</td>
      <td>{group.source === 'entra' ? i18n.t('directory.groupLocked') : i18n.t('directory.notLocked')}</td>
    </tr>
  );
}

const SEARCH_DELAY_MS = 300;

/** Search by number, name or email, and show synced or local extensions only. */
function ExtensionFilterBar() {
  const { i18n, extensionFilter, extensions } = useStores();
  const filter = extensionFilter.value;
  useEffect(() => {
    const timer = setTimeout(() => void extensions.load(), SEARCH_DELAY_MS);
    return () => clearTimeout(timer);
  }, [filter, extensions]);
  return (
    <div class="toolbar" role="search">
      <div class="field">
        <label for="extension-search">{i18n.t('extensions.search')}</label>
        <input
          id="extension-search"
          type="search"
          value={filter.q}
          onInput={(e) => (extensionFilter.value = { ...filter, q: e.currentTarget.value })}
        />
      </div>
      <div class="field">
        <label for="extension-source">{i18n.t('directory.source')}</label>
        <select
          id="extension-source"
          value={filter.source}
          onChange={(e) => (extensionFilter.value = { ...filter, source: e.currentTarget.value as typeof filter.source })}
        >
          <option value="">{i18n.t('extensions.allSources')}</option>
          <option value="entra">{i18n.t('directory.synced')}</option>
          <option value="local">{i18n.t('directory.local')}</option>
        </select>
      </div>
    </div>
  );
}

export function Extensions() {
  const { i18n, extensions, extensionEditor } = useStores();
  const [deleting, setDeleting] = useState<Extension | null>(null);
  const editing = extensionEditor.editing.value;
  return (
    <Section id="extensions" title={i18n.t('extensions.title')} intro={i18n.t('extensions.intro')}>
      <div class="actions">
        <button type="button" onClick={() => extensionEditor.edit('new')} disabled={editing === 'new'}>
          {i18n.t('extensions.add')}
        </button>
      </div>
      {editing && <ExtensionForm key={editing === 'new' ? 'new' : editing.id} target={editing} />}
      <FormNotice form={extensionEditor.actions} />
      <ExtensionFilterBar />
      <PagedTable
        list={extensions}
        caption={i18n.t('extensions.caption')}
        headers={[
          i18n.t('field.number'),
          i18n.t('field.displayName'),
          i18n.t('field.email'),
          i18n.t('field.department'),
          i18n.t('directory.source'),
          i18n.t('directory.lockedTitle'),
          i18n.t('directory.enabled'),
          i18n.t('extensions.actions'),
        ]}
        row={(ext) => <ExtensionRow key={ext.id} ext={ext} onDelete={setDeleting} />}
        empty={i18n.t('extensions.none')}
      />
      <ConfirmDialog
        id="extension-delete"
        open={deleting !== null}
        title={i18n.t('extensions.deleteTitle')}
        confirmLabel={i18n.t('extensions.delete')}
        danger
        onCancel={() => setDeleting(null)}
        onConfirm={() => {
          if (deleting) void extensionEditor.remove(deleting);
          setDeleting(null);
        }}
      >
        <p>{i18n.t('extensions.deleteText', { number: deleting?.number ?? '', name: deleting?.displayName ?? '' })}</p>
      </ConfirmDialog>
    </Section>
  );
}

export function Groups() {
  const { i18n, groups } = useStores();
  useEffect(() => {
    void groups.load();
  }, [groups]);
  return (
    <Section id="groups" title={i18n.t('groups.title')} intro={i18n.t('groups.intro')}>
      <PagedTable
        list={groups}
        caption={i18n.t('groups.caption')}
        headers={[i18n.t('groups.name'), i18n.t('directory.source'), i18n.t('groups.members'), i18n.t('directory.lockedTitle')]}
        row={(group) => <GroupRow key={group.id} group={group} />}
        empty={i18n.t('groups.none')}
      />
    </Section>
  );
}
