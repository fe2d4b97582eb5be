import { badRequest } from '../errors.js';

/** The subset of OData $filter that directory queries use. */
export type FilterNode =
  | { t: 'and' | 'or'; l: FilterNode; r: FilterNode }
  | { t: 'not'; e: FilterNode }
  | { t: 'cmp'; op: 'eq' | 'ne' | 'gt' | 'ge' | 'lt' | 'le'; path: string; value: Literal }
  | { t: 'in'; path: string; values: Literal[] }
  | { t: 'fn'; name: 'startswith' | 'endswith'; path: string; value: string }
  | { t: 'any'; path: string; variable: string; inner: FilterNode };

type Literal = string | number | boolean | null;

type Token = { k: 'ident'; v: string } | { k: 'str'; v: string } | { k: 'num'; v: number } | { k: 'punct'; v: string };

function tokenize(input: string): Token[] {
  const out: Token[] = [];
  let i = 0;
  while (i < input.length) {
    const c = input[i] ?? '';
    if (/\s/.test(c)) i++;
    else if ('(),:'.includes(c)) {
      out.push({ k: 'punct', v: c });
      i++;
    } else if (c === "'") {
      let s = '';
      for (i++; i < input.length; i++) {
        if (input[i] === "'" && input[i + 1] === "'") {
          s += "'";
          i++;
        } else if (input[i] === "'") break;
        else s += input[i];
      }
      if (i >= input.length) badRequest(`Invalid filter clause: unterminated string literal in '${input}'.`);
      out.push({ k: 'str', v: s });
      i++;
    } else {
      const m = /^[-\w./$@]+/.exec(input.slice(i));
      if (!m) return badRequest(`Invalid filter clause: syntax error at position ${i} in '${input}'.`);
      const word = m[0];
      out.push(/^-?\d+(\.\d+)?$/.test(word) ? { k: 'num', v: Number(word) } : { k: 'ident', v: word });
      i += word.length;
    }
  }
  return out;
}

class Parser {
  private pos = 0;
  constructor(
    private readonly tokens: Token[],
    private readonly source: string,
  ) {}

  private peek(): Token | undefined {
    return this.tokens[this.pos];
  }

  private next(): Token {
    const t = this.tokens[this.pos++];
    if (!t) return this.error('unexpected end of expression');
    return t;
  }

  private error(what: string): never {
    return badRequest(`Invalid filter clause: ${what} in '${this.source}'.`);
  }

  private expectPunct(v: string): void {
    const t = this.next();
    if (t.k !== 'punct' || t.v !== v) this.error(`expected '${v}'`);
  }

  private isWord(word: string): boolean {
    const t = this.peek();
    return t?.k === 'ident' && t.v.toLowerCase() === word;
  }

  parse(): FilterNode {
    const node = this.or();
    if (this.pos < this.tokens.length) this.error('unexpected trailing tokens');
    return node;
  }

  private or(): FilterNode {
    let l = this.and();
    while (this.isWord('or')) {
      this.pos++;
      l = { t: 'or', l, r: this.and() };
    }
    return l;
  }

  private and(): FilterNode {
    let l = this.unary();
    while (this.isWord('and')) {
      this.pos++;
      l = { t: 'and', l, r: this.unary() };
    }
    return l;
  }

  private unary(): FilterNode {
    if (this.isWord('not')) {
      this.pos++;
      return { t: 'not', e: this.unary() };
    }
    const t = this.peek();
    if (t?.k === 'punct' && t.v === '(') {
      this.pos++;
      const e = this.or();
      this.expectPunct(')');
      return e;
    }
    return this.primary();
  }

  private literal(): Literal {
    const t = this.next();
    if (t.k === 'str' || t.k === 'num') return t.v;
    if (t.k === 'ident') {
      const w = t.v.toLowerCase();
      if (w === 'true' || w === 'false') return w === 'true';
      if (w === 'null') return null;
      if (/^[0-9a-f-]{36}$/i.test(t.v)) return t.v; // bare GUID literal
    }
    return this.error('expected a literal');
  }

  private primary(): FilterNode {
    const t = this.next();
    if (t.k !== 'ident') return this.error('expected a property or function');
    const name = t.v.toLowerCase();
    const after = this.peek();
    if ((name === 'startswith' || name === 'endswith') && after?.k === 'punct' && after.v === '(') {
      this.pos++;
      const path = this.next();
      this.expectPunct(',');
      const value = this.literal();
      this.expectPunct(')');
      if (path.k !== 'ident' || typeof value !== 'string') return this.error(`bad arguments to ${name}`);
      return { t: 'fn', name, path: path.v, value };
    }
    if (/\/(any|all)$/i.test(t.v) && after?.k === 'punct' && after.v === '(') {
      this.pos++;
      const variable = this.next();
      this.expectPunct(':');
      const inner = this.or();
      this.expectPunct(')');
      if (variable.k !== 'ident') return this.error('bad lambda variable');
      return { t: 'any', path: t.v.replace(/\/(any|all)$/i, ''), variable: variable.v, inner };
    }
    const op = this.next();
    if (op.k !== 'ident') return this.error('expected an operator');
    const o = op.v.toLowerCase();
    if (o === 'in') {
      this.expectPunct('(');
      const values: Literal[] = [this.literal()];
      while (this.peek()?.k === 'punct' && this.peek()?.v === ',') {
        this.pos++;
        values.push(this.literal());
      }
      this.expectPunct(')');
      return { t: 'in', path: t.v, values };
    }
    if (o === 'eq' || o === 'ne' || o === 'gt' || o === 'ge' || o === 'lt' || o === 'le') return { t: 'cmp', op: o, path: t.v, value: this.literal() };
    return this.error(`unsupported operator '${op.v}'`);
  }
}

export function parseFilter(source: string): FilterNode {
  return new Parser(tokenize(source), source).parse();
}

/** Every property path the filter touches (lambda paths included), to check against the entity. */
export function filterPaths(node: FilterNode): string[] {
  switch (node.t) {
    case 'and':
    case 'or':
      return [...filterPaths(node.l), ...filterPaths(node.r)];
    case 'not':
      return filterPaths(node.e);
    case 'any':
      return [node.path];
    default:
      return [node.path];
  }
}

/**
 * True when the filter needs Graph's "advanced query" mode (ConsistencyLevel: eventual + $count):
 * ne, not, endsWith, and null comparisons. https://learn.microsoft.com/graph/aad-advanced-queries
 */
export function isAdvanced(node: FilterNode): boolean {
  switch (node.t) {
    case 'and':
    case 'or':
      return isAdvanced(node.l) || isAdvanced(node.r);
    case 'not':
      return true;
    case 'cmp':
      return node.op === 'ne' || node.value === null;
    case 'fn':
      return node.name === 'endswith';
    case 'any':
      return isAdvanced(node.inner);
    default:
      return false;
  }
}

function resolve(obj: unknown, path: string): unknown {
  let cur = obj;
  for (const part of path.split('/')) {
    if (typeof cur !== 'object' || cur === null) return undefined;
    cur = (cur as Record<string, unknown>)[part];
  }
  return cur;
}

const norm = (v: unknown): unknown => (typeof v === 'string' ? v.toLowerCase() : v);

function compare(a: unknown, op: string, b: Literal): boolean {
  const x = norm(a ?? null);
  const y = norm(b);
  switch (op) {
    case 'eq':
      return x === y;
    case 'ne':
      return x !== y;
    default: {
      if (x === null || y === null) return false;
      const cmp = (x as string | number) < (y as string | number) ? -1 : x === y ? 0 : 1;
      return op === 'gt' ? cmp > 0 : op === 'ge' ? cmp >= 0 : op === 'lt' ? cmp < 0 : cmp <= 0;
    }
  }
}

/** Evaluates a parsed filter; string comparisons are case-insensitive like the directory's. */
export function evaluate(node: FilterNode, obj: unknown, scope: Record<string, unknown> = {}): boolean {
  const value = (path: string): unknown => {
    const [head = '', ...rest] = path.split('/');
    if (!(head in scope)) return resolve(obj, path);
    return rest.length === 0 ? scope[head] : resolve(scope[head], rest.join('/'));
  };
  switch (node.t) {
    case 'and':
      return evaluate(node.l, obj, scope) && evaluate(node.r, obj, scope);
    case 'or':
      return evaluate(node.l, obj, scope) || evaluate(node.r, obj, scope);
    case 'not':
      return !evaluate(node.e, obj, scope);
    case 'cmp':
      return compare(value(node.path), node.op, node.value);
    case 'in': {
      const v = norm(value(node.path) ?? null);
      return node.values.some((x) => norm(x) === v);
    }
    case 'fn': {
      const v = value(node.path);
      if (typeof v !== 'string') return false;
      const s = v.toLowerCase();
      const p = node.value.toLowerCase();
      return node.name === 'startswith' ? s.startsWith(p) : s.endsWith(p);
    }
    case 'any': {
      const list = value(node.path);
      if (!Array.isArray(list)) return false;
      return (list as unknown[]).some((item) => evaluate(node.inner, obj, { ...scope, [node.variable]: item }));
    }
  }
}
