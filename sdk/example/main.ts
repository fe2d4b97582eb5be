import { createClient, describeError, msalAuth, serverFlowAuth, UcBridgeError, type AuthStrategy, type Me, type PresenceMapping, type TeamsAvailability } from '../index.js';

/** The example page: sign in, see the live status, edit the presence mapping, search contacts. */
const params = new URLSearchParams(location.search);
const serverUrl = params.get('server') ?? location.origin;
const loginHint = params.get('loginHint') ?? undefined;
const authority = params.get('authority') ?? 'https://login.microsoftonline.com/organizations';

const byId = <T extends HTMLElement>(id: string): T => {
  const element = document.getElementById(id);
  if (!element) throw new Error(`#${id} is missing`);
  return element as T;
};

function strategy(): AuthStrategy {
  if (params.get('flow') === 'server') return serverFlowAuth({ ...(loginHint ? { loginHint } : {}) });
  return msalAuth({
    clientId: params.get('clientId') ?? '',
    authority,
    redirectUri: new URL('redirect.html', location.href).toString(),
    knownAuthorities: [new URL(authority).host],
    ...(loginHint ? { loginHint } : {}),
  });
}

const client = createClient({ serverUrl, auth: strategy() });
const STATUSES = ['no_change', 'available', 'away', 'business_trip', 'do_not_disturb', 'lunch', 'off_work'];
const form = byId<HTMLFormElement>('mapping');
let stopStatus: (() => void) | undefined;
/** The mapping shown: saving sends it back with the edits, so what the form lacks (activity overrides) is kept. */
let shown: PresenceMapping | undefined;

/** The user reads the error in their browser's language; the code stays for support. */
function showError(error: unknown): void {
  byId('error').textContent = error instanceof UcBridgeError ? `${describeError(error)} (${error.code})` : String(error);
}

function renderMapping(mapping: PresenceMapping): void {
  shown = mapping;
  (form.elements.namedItem('enabled') as HTMLInputElement).checked = mapping.enabled;
  const table = byId<HTMLTableElement>('availability');
  table.replaceChildren();
  for (const [availability, value] of Object.entries(mapping.availability)) {
    const row = table.insertRow();
    row.insertCell().textContent = availability;
    const select = document.createElement('select');
    select.name = availability;
    select.setAttribute('aria-label', availability);
    for (const status of STATUSES) select.add(new Option(status.replace('_', ' '), status, false, status === value));
    row.insertCell().append(select);
  }
}

async function showSignedIn(me: Me): Promise<void> {
  byId('signed-out').hidden = true;
  byId('signed-in').hidden = false;
  byId('user-name').textContent = me.user.displayName;
  byId('extension-number').textContent = me.extension.number;
  renderMapping(await client.presence.getMapping());
  stopStatus = client.presence.subscribe(
    (status) => {
      byId('status').textContent = status.status;
      byId('status-source').textContent = `(${status.source})`;
    },
    { onError: showError },
  );
}

byId('sign-in').addEventListener('click', () => {
  client.signIn().then((me) => (me ? showSignedIn(me) : undefined), showError);
});

byId('sign-out').addEventListener('click', () => {
  stopStatus?.();
  client.signOut().then(() => location.reload(), showError);
});

form.addEventListener('submit', (event) => {
  event.preventDefault();
  const availability: Partial<Record<TeamsAvailability, string>> = {};
  for (const select of form.querySelectorAll('select')) availability[select.name as TeamsAvailability] = select.value;
  const enabled = (form.elements.namedItem('enabled') as HTMLInputElement).checked;
  client.presence
    .setMapping({ ...shown, enabled, availability: availability as PresenceMapping['availability'] })
    .then((saved) => {
      renderMapping(saved);
      byId('saved').textContent = `Saved at ${new Date().toLocaleTimeString()}`;
    }, showError);
});

byId('reload').addEventListener('click', () => {
  client.presence.getMapping().then(renderMapping, showError);
});

byId<HTMLInputElement>('contact-q').addEventListener('input', (event) => {
  const q = (event.target as HTMLInputElement).value;
  client.contacts.search(q, { limit: 20 }).then((page) => {
    byId('contacts').replaceChildren(
      ...page.items.map((c) => Object.assign(document.createElement('li'), { textContent: `${c.displayName} ${c.mobile || c.businessPhone}` })),
    );
  }, showError);
});

client.handleRedirect().then((me) => (me ? showSignedIn(me) : undefined), showError);
