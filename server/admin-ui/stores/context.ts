import { createContext } from 'preact';
import { useContext } from 'preact/hooks';
import type { Stores } from './index.js';

/** Every store of the page, created once in main.tsx and handed down (preact-devtools style). */
export const StoresContext = createContext<Stores | null>(null);

export function useStores(): Stores {
  const stores = useContext(StoresContext);
  if (!stores) throw new Error('useStores() outside <StoresContext.Provider>');
  return stores;
}
