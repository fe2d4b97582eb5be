import { signal } from '@preact/signals';

/**
 * Path-based navigation under /admin: /admin/<section>. The server answers every /admin path
 * with the page, so links can be bookmarked and reloaded.
 */
export function createRouterStore<S extends string>(sections: readonly S[], fallback: S, base = '/admin') {
  const fromPath = (path: string): S => {
    const id = path.slice(base.length).replace(/^\/+|\/+$/g, '');
    return sections.find((s) => s === id) ?? fallback;
  };
  const current = signal<S>(fromPath(location.pathname));
  addEventListener('popstate', () => {
    current.value = fromPath(location.pathname);
  });
  return {
    current,
    href: (section: S): string => `${base}/${section}`,
    go(section: S): void {
      if (section === current.value) return;
      history.pushState(null, '', `${base}/${section}`);
      current.value = section;
    },
  };
}

export type RouterStore<S extends string> = ReturnType<typeof createRouterStore<S>>;
