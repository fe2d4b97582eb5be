import type { Handler, Params } from './types.js';

interface Route<C> {
  method: string;
  segments: string[];
  statics: number;
  handler: Handler<C>;
}

export interface Match<C> {
  handler: Handler<C>;
  params: Params;
}

/**
 * A small path router. Graph treats path segments case-insensitively, so static segments match
 * ignoring case; `:name` captures one segment. When several routes match, the one with more
 * static segments wins (so /users/delta beats /users/:id).
 */
export class Router<C> {
  private readonly routes: Route<C>[] = [];

  on(method: string | string[], pattern: string, handler: Handler<C>): this {
    const segments = split(pattern);
    for (const m of Array.isArray(method) ? method : [method]) {
      this.routes.push({ method: m, segments, statics: segments.filter((s) => !s.startsWith(':')).length, handler });
    }
    return this;
  }

  get = (p: string, h: Handler<C>): this => this.on('GET', p, h);
  post = (p: string, h: Handler<C>): this => this.on('POST', p, h);
  patch = (p: string, h: Handler<C>): this => this.on('PATCH', p, h);
  put = (p: string, h: Handler<C>): this => this.on('PUT', p, h);
  delete = (p: string, h: Handler<C>): this => this.on('DELETE', p, h);

  /** 'none' when no path matches, 'method' when the path exists for another method. */
  match(method: string, path: string): Match<C> | 'none' | 'method' {
    const parts = split(path);
    let best: { route: Route<C>; params: Params } | undefined;
    let pathMatched = false;
    for (const route of this.routes) {
      const params = matchSegments(route.segments, parts);
      if (!params) continue;
      pathMatched = true;
      if (route.method !== method) continue;
      if (!best || route.statics > best.route.statics) best = { route, params };
    }
    if (best) return { handler: best.route.handler, params: best.params };
    return pathMatched ? 'method' : 'none';
  }
}

const split = (path: string): string[] => path.split('/').filter((s) => s.length > 0);

function matchSegments(pattern: string[], parts: string[]): Params | undefined {
  if (pattern.length !== parts.length) return undefined;
  const params: Params = {};
  for (let i = 0; i < pattern.length; i++) {
    const p = pattern[i] ?? '';
    const v = parts[i] ?? '';
    if (p.startsWith(':')) params[p.slice(1)] = v;
    else if (p.toLowerCase() !== v.toLowerCase()) return undefined;
  }
  return params;
}
