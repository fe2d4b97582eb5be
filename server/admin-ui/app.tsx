import { useEffect } from 'preact/hooks';
import { LanguagePicker } from './components/language-picker.js';
import { sections } from './sections/index.js';
import { SignIn } from './sections/sign-in.js';
import { useStores } from './stores/context.js';
import { SECTION_IDS, type SectionId } from './stores/sections.js';

function Navigation() {
  const { i18n, router } = useStores();
  const go = (e: MouseEvent, id: SectionId) => {
    e.preventDefault();
    router.go(id);
  };
  return (
    <nav class="nav" aria-label={i18n.t('shell.navigation')}>
      <ul>
        {SECTION_IDS.map((id) => (
          <li key={id}>
            <a
              href={router.href(id)}
              aria-current={router.current.value === id ? 'page' : undefined}
              onClick={(e) => go(e, id)}
            >
              {i18n.t(sections[id].title)}
            </a>
          </li>
        ))}
      </ul>
    </nav>
  );
}

function Header() {
  const { i18n, session } = useStores();
  return (
    <header class="header">
      <span class="brand">{i18n.t('shell.product')}</span>
      <div class="header-tools">
        <LanguagePicker />
        <span class="who">{i18n.t('shell.signedInAs', { label: session.label.value })}</span>
        <button type="button" class="secondary" onClick={() => void session.signOut()}>
          {i18n.t('shell.signOut')}
        </button>
      </div>
    </header>
  );
}

export function App() {
  const { i18n, session, router } = useStores();
  const lang = i18n.lang.value;
  useEffect(() => {
    document.documentElement.lang = lang;
  }, [lang]);
  useEffect(() => {
    document.title = `${i18n.t(sections[router.current.value].title)} · ${i18n.t('shell.product')}`;
  });
  if (session.state.value === 'checking') return <p class="loading">{i18n.t('common.loading')}</p>;
  if (session.state.value === 'signedOut') return <SignIn />;
  const Current = sections[router.current.value].component;
  return (
    <div class="shell">
      <a class="skip" href="#main">
        {i18n.t('shell.skipToContent')}
      </a>
      <Header />
      <Navigation />
      <main id="main" class="main">
        <Current />
      </main>
    </div>
  );
}
