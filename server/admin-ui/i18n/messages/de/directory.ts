import type { directory as english } from '../en/directory.js';

export const directory: Record<keyof typeof english, string> = {
  'extensions.title': 'Nebenstellen',
  'extensions.intro': 'Synchronisierte Nebenstellen werden aus Entra ID angelegt und aktualisiert; ihre gesperrten Felder lassen sich nur dort ändern.',
  'extensions.caption': 'Nebenstellen',
  'extensions.none': 'Noch keine Nebenstellen.',
  'extensions.search': 'Nach Nummer, Name oder E-Mail suchen',
  'extensions.allSources': 'Alle',

  'groups.title': 'Nebenstellengruppen',
  'groups.intro': 'Synchronisierte Gruppen übernehmen Namen und Mitglieder aus Entra ID und können hier nicht geändert oder gelöscht werden.',
  'groups.caption': 'Nebenstellengruppen',
  'groups.none': 'Noch keine Nebenstellengruppen.',
  'groups.name': 'Name',
  'groups.members': 'Mitglieder',

  'directory.source': 'Quelle',
  'directory.synced': 'Synchronisiert',
  'directory.local': 'Lokal',
  'directory.lockedTitle': 'Gesperrt',
  'directory.notLocked': 'Bearbeitbar',
  'directory.groupLocked': 'Name und Mitglieder gesperrt',
  'directory.enabled': 'Aktiv',

  'field.number': 'Nummer',
  'field.firstName': 'Vorname',
  'field.lastName': 'Nachname',
  'field.displayName': 'Name',
  'field.email': 'E-Mail',
  'field.mobile': 'Mobiltelefon',
  'field.businessPhone': 'Geschäftlich',
  'field.jobTitle': 'Position',
  'field.callerId': 'Anrufer-ID',
  'field.department': 'Abteilung',
  'field.office': 'Büro',
};
