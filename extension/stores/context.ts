import { createContext } from 'preact';
import { useContext } from 'preact/hooks';
import type { Translator } from '../i18n/index.js';
import type { Stores } from './index.js';

export const StoresContext = createContext<Stores | null>(null);

export function useStores(): Stores {
  const stores = useContext(StoresContext);
  if (!stores) throw new Error('useStores() outside <StoresContext.Provider>');
  return stores;
}

/** The current translator (re-renders the caller when the language changes). */
export const useT = (): Translator => useStores().i18n.value;
