import type { sso as english } from '../en/sso.js';

export const sso: Record<keyof typeof english, string> = {
  'sso.title': 'Single Sign-On',
  'sso.intro': 'Benutzer melden sich mit ihrem Microsoft-Konto bei UC-Clients und der Browsererweiterung an. Nur Benutzer mit einer aktiven synchronisierten Nebenstelle können sich anmelden.',
  'sso.settings': 'Anmeldung',
  'sso.enabled': 'Anmeldung mit Microsoft erlauben',
  'sso.enabledHint': 'Funktioniert nur, solange die Integration aktiviert ist.',
  'sso.origins': 'Zulässige Ursprünge von Web-Clients',
  'sso.originsHint': 'Eine pro Zeile, z. B. https://phone.example.com.',
  'sso.originInvalid': '{origin} ist kein Ursprung: Verwenden Sie https://host[:port] ohne Pfad (http nur für localhost).',
  'sso.webClientUrl': 'Adresse des Web-Clients',
  'sso.webClientUrlHint': 'Wohin die Anmeldung zurückkehrt, wenn der Client keine Seite nennt. Optional.',
};
