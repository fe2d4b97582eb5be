import { useState } from 'preact/hooks';
import { requestOrigin } from '../platform/browser.js';
import { serverOrigin } from '../settings/schema.js';
import { useStores, useT } from '../stores/context.js';
import type { Problem } from '../stores/errors.js';
import { ProblemLine } from '../ui/problem.js';

/**
 * The server address. Saving asks the browser for access to that one origin (the manifest
 * lists only optional host permissions), so the request must start inside the click.
 */
export function ServerSection() {
  const { settings, session } = useStores();
  const t = useT();
  const [text, setText] = useState(settings.settings.value.serverUrl);
  const [problem, setProblem] = useState<Problem | undefined>(undefined);
  const [savedOrigin, setSavedOrigin] = useState<string | undefined>(undefined);

  const save = (event: Event) => {
    event.preventDefault();
    setSavedOrigin(undefined);
    const origin = serverOrigin(text);
    if (!origin) {
      setProblem({ code: 'server_url_invalid' });
      return;
    }
    setProblem(undefined);
    // No await before this call: the browser only shows its prompt during the user's click.
    const granted = requestOrigin(origin);
    void granted.then(async (ok) => {
      if (!ok) {
        setProblem({ code: 'permission_denied' });
        return;
      }
      await settings.save({ serverUrl: origin });
      setText(origin);
      setSavedOrigin(origin);
      await session.check();
    });
  };

  return (
    <section aria-labelledby="server-heading">
      <h2 id="server-heading">{t.t('options.server')}</h2>
      <form onSubmit={save}>
        <div class="field">
          <label for="server-url">{t.t('options.serverUrl')}</label>
          <input id="server-url" type="url" value={text} onInput={(e) => setText(e.currentTarget.value)} placeholder={t.t('options.serverPlaceholder')} />
          <p class="muted">{t.t('options.serverHint')}</p>
        </div>
        <button type="submit" id="save-server" class="primary">
          {t.t('options.saveServer')}
        </button>
      </form>
      <ProblemLine problem={problem} />
      {savedOrigin && <p class="success">{t.t('options.serverSaved', { origin: savedOrigin })}</p>}
    </section>
  );
}
