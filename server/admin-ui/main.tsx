import { render } from 'preact';
import { App } from './app.js';
import { StoresContext } from './stores/context.js';
import { createStores } from './stores/index.js';
import './styles.css';

const stores = createStores({ storage: localStorage, languages: navigator.languages });
void stores.session.check();

const root = document.getElementById('app');
if (root) {
  render(
    <StoresContext.Provider value={stores}>
      <App />
    </StoresContext.Provider>,
    root,
  );
}
