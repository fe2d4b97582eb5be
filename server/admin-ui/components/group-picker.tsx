import { useStores } from '../stores/context.js';
import { SearchPicker, type SearchPickerProps } from './search-picker.js';

/** Searchable, paged picker of Entra groups (fed by Graph through the server). */
export function GroupPicker(props: SearchPickerProps) {
  const { api, groupNames } = useStores();
  const search = async (q: string, cursor: string | null) => {
    const page = await api.entra.groups(q, cursor);
    return { items: page.items.map((g) => ({ id: g.id, name: g.displayName, detail: g.mail })), nextCursor: page.nextCursor };
  };
  return (
    <SearchPicker
      {...props}
      search={search}
      names={groupNames}
      texts={{ placeholder: 'groupPicker.searchPlaceholder', selectedList: 'groupPicker.selectedList', none: 'groupPicker.none' }}
    />
  );
}
