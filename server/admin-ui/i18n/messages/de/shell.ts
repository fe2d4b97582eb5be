import type { shell as english } from '../en/shell.js';

export const shell: Record<keyof typeof english, string> = {
  'language.en': 'English',
  'language.de': 'Deutsch',
  'language.zh-CN': '简体中文',

  'shell.product': 'ucbridge-Verwaltung',
  'shell.language': 'Sprache',
  'shell.navigation': 'Bereiche',
  'shell.signedInAs': 'Angemeldet ({label})',
  'shell.signOut': 'Abmelden',
  'shell.skipToContent': 'Zum Inhalt springen',

  'nav.connection': 'Verbindung',
  'nav.userSync': 'Benutzersynchronisierung',
  'nav.groupSync': 'Gruppensynchronisierung',
  'nav.syncLog': 'Synchronisierungsprotokoll',
  'nav.extensions': 'Nebenstellen',
  'nav.groups': 'Nebenstellengruppen',
  'nav.presence': 'Präsenz',
  'nav.sso': 'Single Sign-On',
  'nav.schedule': 'Zeitplan',
  'nav.contacts': 'Kontakte',
  'nav.webhooks': 'Webhooks',

  'signIn.title': 'Bei ucbridge anmelden',
  'signIn.intro': 'Geben Sie das Admin-Token ein. Es wurde beim ersten Start des Servers einmalig ausgegeben oder mit UCBRIDGE_ADMIN_TOKEN festgelegt.',
  'signIn.token': 'Admin-Token',
  'signIn.tokenHint': 'Die Seite hält Sie mit einem sicheren Sitzungscookie angemeldet, nicht mit dem Token.',
  'signIn.submit': 'Anmelden',

  'common.loading': 'Wird geladen …',
  'common.cancel': 'Abbrechen',
  'common.save': 'Speichern',
  'common.copy': 'Kopieren',
  'common.copied': 'Kopiert',
  'common.copyValue': '{what} kopieren',
  'common.saved': 'Gespeichert.',
  'common.yes': 'Ja',
  'common.no': 'Nein',
  'common.more': 'Mehr anzeigen',
  'common.close': 'Schließen',

  'form.fixFields': 'Bitte prüfen Sie die markierten Felder.',

  'validate.required': 'Pflichtfeld.',
  'validate.guid': 'Geben Sie eine ID im Format 00000000-0000-0000-0000-000000000000 ein.',
  'validate.https': 'Geben Sie eine Adresse ein, die mit https:// beginnt.',
  'validate.digits': 'Nur Ziffern (höchstens 15).',
  'validate.range': 'Geben Sie eine ganze Zahl von {min} bis {max} ein.',
  'validate.phone': 'Geben Sie eine Telefonnummer ein: Ziffern, optional mit führendem +.',
  'validate.email': 'Geben Sie eine E-Mail-Adresse wie name@example.com ein.',
};
