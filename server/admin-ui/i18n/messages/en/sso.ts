/** The Single sign-on section. */
export const sso = {
  'sso.title': 'Single sign-on',
  'sso.intro': 'Users sign in to UC clients and the browser extension with their Microsoft account. Only users linked to an enabled synced extension can sign in.',
  'sso.settings': 'Sign-in',
  'sso.enabled': 'Allow sign-in with Microsoft',
  'sso.enabledHint': 'Works only while the integration is enabled.',
  'sso.origins': 'Allowed web client origins',
  'sso.originsHint': 'One per line, e.g. https://phone.example.com.',
  'sso.originInvalid': '{origin} is not an origin: use https://host[:port] without a path (http only for localhost).',
  'sso.webClientUrl': 'Web client address',
  'sso.webClientUrlHint': 'Where sign-in returns when the client names no page. Optional.',
} as const;
