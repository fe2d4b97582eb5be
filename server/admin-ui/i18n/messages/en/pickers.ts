/** The search pickers for Entra groups, shared mailboxes, extensions and extension groups. */
export const pickers = {
  'groupPicker.searchPlaceholder': 'Search groups by name',
  'groupPicker.selected': '{count} selected',
  'groupPicker.selectedList': 'Selected groups',
  'groupPicker.remove': 'Remove {name}',
  'groupPicker.none': 'No groups found.',
  'groupPicker.pickOne': 'Pick at least one group.',

  'mailboxPicker.searchPlaceholder': 'Search shared mailboxes by name or address',
  'mailboxPicker.selectedList': 'Selected shared mailboxes',
  'mailboxPicker.none': 'No shared mailboxes found.',

  'extensionPicker.searchPlaceholder': 'Search by number, name or email',
  'extensionPicker.selectedList': 'Selected extensions',
  'extensionPicker.none': 'No extensions found.',

  'extensionGroupPicker.searchPlaceholder': 'Search extension groups by name',
  'extensionGroupPicker.selectedList': 'Selected extension groups',
  'extensionGroupPicker.none': 'No extension groups found.',
} as const;
