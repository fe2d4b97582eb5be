import type { pickers as english } from '../en/pickers.js';

export const pickers: Record<keyof typeof english, string> = {
  'groupPicker.searchPlaceholder': 'Gruppen nach Namen suchen',
  'groupPicker.selected': '{count} ausgewählt',
  'groupPicker.selectedList': 'Ausgewählte Gruppen',
  'groupPicker.remove': '{name} entfernen',
  'groupPicker.none': 'Keine Gruppen gefunden.',
  'groupPicker.pickOne': 'Wählen Sie mindestens eine Gruppe.',

  'mailboxPicker.searchPlaceholder': 'Postfächer nach Name oder Adresse suchen',
  'mailboxPicker.selectedList': 'Ausgewählte Postfächer',
  'mailboxPicker.none': 'Keine freigegebenen Postfächer gefunden.',

  'extensionPicker.searchPlaceholder': 'Nach Nummer, Name oder E-Mail suchen',
  'extensionPicker.selectedList': 'Ausgewählte Nebenstellen',
  'extensionPicker.none': 'Keine Nebenstellen gefunden.',

  'extensionGroupPicker.searchPlaceholder': 'Nebenstellengruppen nach Name suchen',
  'extensionGroupPicker.selectedList': 'Ausgewählte Nebenstellengruppen',
  'extensionGroupPicker.none': 'Keine Nebenstellengruppen gefunden.',
};
