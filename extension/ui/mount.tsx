import { effect } from '@preact/signals';
import { render, type ComponentChildren } from 'preact';
import type { MessageKey } from '../i18n/index.js';
import { StoresContext } from '../stores/context.js';
import { createStores, type Stores } from '../stores/index.js';
import './styles.css';

/** Creates the stores, keeps `<html lang>` and the title in the user's language, renders the page. */
export async function mountPage(titleKey: MessageKey, page: (stores: Stores) => ComponentChildren): Promise<Stores> {
  const stores = await createStores();
  effect(() => {
    const t = stores.i18n.value;
    document.documentElement.lang = t.lang;
    document.title = t.t(titleKey);
  });
  const root = document.getElementById('app');
  if (root) render(<StoresContext.Provider value={stores}>{page(stores)}</StoresContext.Provider>, root);
  return stores;
}
