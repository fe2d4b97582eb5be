/** The HTML of the sign-in pages. Plain forms, so tests can drive them over HTTP. */

const esc = (s: string): string => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

function layout(title: string, body: string): string {
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>${esc(title)}</title>
<meta name="viewport" content="width=device-width,initial-scale=1">
<style>body{font-family:Segoe UI,system-ui,sans-serif;background:#f2f2f2;margin:0}main{max-width:440px;margin:8vh auto;background:#fff;padding:32px 44px;box-shadow:0 2px 6px rgba(0,0,0,.2)}
h1{font-size:24px;font-weight:600}button,.acct{display:block;width:100%;text-align:left;padding:10px;margin:6px 0;border:1px solid #ccc;background:#fff;cursor:pointer}
button.primary{background:#0067b8;color:#fff;text-align:center}input{width:100%;padding:8px;margin:8px 0;box-sizing:border-box}.err{color:#a80000}small{color:#666}</style></head>
<body><main><div><small>Microsoft Entra ID emulator</small></div>${body}</main></body></html>`;
}

export interface PickerAccount {
  upn: string;
  name: string;
}

export function accountPicker(action: string, flow: string, accounts: PickerAccount[], hint: string | undefined): string {
  const list = accounts
    .map((a) => `<form method="post" action="${esc(action)}"><input type="hidden" name="flow" value="${esc(flow)}"><input type="hidden" name="username" value="${esc(a.upn)}"><button class="acct" type="submit" data-upn="${esc(a.upn)}">${esc(a.name)}<br><small>${esc(a.upn)}</small></button></form>`)
    .join('');
  return layout(
    'Sign in to your account',
    `<h1>Pick an account</h1>${list}
<form method="post" action="${esc(action)}" id="other"><input type="hidden" name="flow" value="${esc(flow)}">
<label>Use another account<input name="username" type="email" placeholder="someone@contoso.onmicrosoft.com" value="${esc(hint ?? '')}"></label>
<button class="primary" type="submit">Next</button></form>`,
  );
}

export function consentPage(action: string, flow: string, appName: string, user: string, scopes: string[], admin: boolean): string {
  const items = scopes.map((s) => `<li>${esc(s)}</li>`).join('');
  const org = admin ? '<p><strong>Consent on behalf of your organization</strong></p>' : '';
  return layout(
    'Permissions requested',
    `<h1>Permissions requested</h1><p><strong>${esc(appName)}</strong> wants to:</p><ul>${items}</ul>${org}<p><small>Signed in as ${esc(user)}</small></p>
<form method="post" action="${esc(action)}"><input type="hidden" name="flow" value="${esc(flow)}">
<button class="primary" type="submit" name="accept" value="yes" id="accept">Accept</button>
<button type="submit" name="accept" value="no" id="cancel">Cancel</button></form>`,
  );
}

export function errorPage(description: string): string {
  const code = /AADSTS\d+/.exec(description)?.[0] ?? 'Error';
  return layout('Sign in error', `<h1>Sorry, but we're having trouble signing you in.</h1><p class="err" id="error-code">${esc(code)}</p><p id="error-description">${esc(description)}</p>`);
}

/** response_mode=form_post: the browser posts the result to the redirect URI. */
export function formPost(action: string, fields: Record<string, string>): string {
  const inputs = Object.entries(fields)
    .map(([k, v]) => `<input type="hidden" name="${esc(k)}" value="${esc(v)}">`)
    .join('');
  return `<!doctype html><html><head><title>Working...</title></head><body onload="document.forms[0].submit()"><form method="POST" action="${esc(action)}">${inputs}<noscript><button>Continue</button></noscript></form></body></html>`;
}

export function signedOut(): string {
  return layout('Signed out', '<h1>You signed out of your account</h1><p>It\'s a good idea to close all browser windows.</p>');
}
