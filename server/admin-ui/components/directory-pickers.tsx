import { useStores } from '../stores/context.js';
import { SearchPicker, type SearchPickerProps } from './search-picker.js';

/** Shared mailboxes of the tenant (contact sync reads them into company phonebooks). */
export function MailboxPicker(props: SearchPickerProps) {
  const { api, mailboxNames } = useStores();
  const search = async (q: string, cursor: string | null) => {
    const page = await api.contacts.sharedMailboxes(q, cursor);
    return { items: page.items.map((m) => ({ id: m.id, name: m.displayName, detail: m.mail })), nextCursor: page.nextCursor };
  };
  return (
    <SearchPicker
      {...props}
      search={search}
      names={mailboxNames}
      texts={{ placeholder: 'mailboxPicker.searchPlaceholder', selectedList: 'mailboxPicker.selectedList', none: 'mailboxPicker.none' }}
    />
  );
}

/** Extensions of the PBX, searched by number, name or email. */
export function ExtensionPicker(props: SearchPickerProps) {
  const { api, extensionNames } = useStores();
  const search = async (q: string, cursor: string | null) => {
    const page = await api.extensions.list({ q, source: '' }, cursor);
    return { items: page.items.map((e) => ({ id: e.id, name: `${e.number} ${e.displayName}`, detail: e.email })), nextCursor: page.nextCursor };
  };
  return (
    <SearchPicker
      {...props}
      search={search}
      names={extensionNames}
      texts={{ placeholder: 'extensionPicker.searchPlaceholder', selectedList: 'extensionPicker.selectedList', none: 'extensionPicker.none' }}
    />
  );
}

/** Extension groups; the list route has no search, so each page is filtered by name here. */
export function ExtensionGroupPicker(props: SearchPickerProps) {
  const { api, extensionGroupNames } = useStores();
  const search = async (q: string, cursor: string | null) => {
    const page = await api.extensionGroups.list(cursor);
    const needle = q.trim().toLowerCase();
    const items = page.items.filter((g) => g.name.toLowerCase().includes(needle));
    return { items: items.map((g) => ({ id: g.id, name: g.name })), nextCursor: page.nextCursor };
  };
  return (
    <SearchPicker
      {...props}
      search={search}
      names={extensionGroupNames}
      texts={{ placeholder: 'extensionGroupPicker.searchPlaceholder', selectedList: 'extensionGroupPicker.selectedList', none: 'extensionGroupPicker.none' }}
    />
  );
}
