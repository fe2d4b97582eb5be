/**
 * Reusable checks for message catalogues and for UI strings that bypass them. Used by
 * test/i18n/catalogues.test.ts for the admin page; the extension can call the same functions
 * with its own catalogues (see `fromChromeMessages` for `_locales/<lang>/messages.json`).
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import ts from 'typescript';

export type Catalogue = Readonly<Record<string, string>>;

export interface CatalogueProblem {
  language: string;
  key: string;
  problem: 'missing' | 'extra' | 'empty' | 'placeholders differ';
}

const placeholders = (text: string): string =>
  [...text.matchAll(/\{(\w+)\}|\$(\w+)\$/g)]
    .map((m) => m[1] ?? m[2] ?? '')
    .sort()
    .join(',');

/** Every key of the reference in every catalogue, no extras, nothing empty, same placeholders. */
export function catalogueProblems(catalogues: Record<string, Catalogue>, reference: string): CatalogueProblem[] {
  const ref = catalogues[reference];
  if (!ref) throw new Error(`no reference catalogue ${reference}`);
  const problems: CatalogueProblem[] = [];
  for (const [language, catalogue] of Object.entries(catalogues)) {
    for (const [key, text] of Object.entries(ref)) {
      const translated = catalogue[key];
      if (translated === undefined) problems.push({ language, key, problem: 'missing' });
      else if (translated.trim() === '') problems.push({ language, key, problem: 'empty' });
      else if (placeholders(translated) !== placeholders(text)) problems.push({ language, key, problem: 'placeholders differ' });
    }
    for (const key of Object.keys(catalogue)) if (!(key in ref)) problems.push({ language, key, problem: 'extra' });
  }
  return problems;
}

/** `_locales/<lang>/messages.json` (`{"key":{"message":"…"}}`) as a flat catalogue. */
export function fromChromeMessages(json: Record<string, { message: string }>): Catalogue {
  return Object.fromEntries(Object.entries(json).map(([key, value]) => [key, value.message]));
}

/** Keys whose texts must be equal across two catalogues (e.g. presence status names everywhere). */
export function inconsistentTerms(a: Catalogue, b: Catalogue, pairs: ReadonlyArray<readonly [string, string]>): string[] {
  return pairs.filter(([ka, kb]) => a[ka] !== b[kb]).map(([ka, kb]) => `${ka} ≠ ${kb}`);
}

export interface SourceFinding {
  file: string;
  line: number;
  text: string;
}

/** Attributes people read or hear (screen readers) — they must come from a catalogue. */
const READABLE_ATTRIBUTES = new Set([
  'title',
  'alt',
  'placeholder',
  'label',
  'aria-label',
  'aria-description',
  'aria-placeholder',
  'aria-roledescription',
  'aria-valuetext',
]);

const hasWords = (text: string): boolean => /\p{L}{2,}/u.test(text);

/** String literals that would reach the screen directly from a JSX expression (not via a call). */
function literalsShown(node: ts.Node): ts.Node[] {
  if (ts.isStringLiteral(node) || ts.isNoSubstitutionTemplateLiteral(node)) return hasWords(node.text) ? [node] : [];
  if (ts.isTemplateExpression(node)) {
    const parts = [node.head.text, ...node.templateSpans.map((s) => s.literal.text)];
    return parts.some(hasWords) ? [node] : node.templateSpans.flatMap((s) => literalsShown(s.expression));
  }
  if (ts.isParenthesizedExpression(node)) return literalsShown(node.expression);
  if (ts.isConditionalExpression(node)) return [...literalsShown(node.whenTrue), ...literalsShown(node.whenFalse)];
  if (ts.isBinaryExpression(node)) {
    // `a && b` shows b; `a || b`, `a ?? b` and `a + b` may show either; comparisons show nothing.
    const op = node.operatorToken.kind;
    if (op === ts.SyntaxKind.AmpersandAmpersandToken) return literalsShown(node.right);
    const shows = [ts.SyntaxKind.BarBarToken, ts.SyntaxKind.QuestionQuestionToken, ts.SyntaxKind.PlusToken];
    return shows.includes(op) ? [...literalsShown(node.left), ...literalsShown(node.right)] : [];
  }
  return [];
}

/** Text in JSX that is not looked up in a catalogue: element text, readable attributes, literals. */
export function hardCodedStringsIn(source: string, file = 'inline.tsx'): SourceFinding[] {
  const sf = ts.createSourceFile(file, source, ts.ScriptTarget.Latest, true, ts.ScriptKind.TSX);
  const findings: SourceFinding[] = [];
  const report = (node: ts.Node, text: string) =>
    findings.push({ file, line: sf.getLineAndCharacterOfPosition(node.getStart(sf)).line + 1, text: text.trim() });
  const visit = (node: ts.Node): void => {
    if (ts.isJsxText(node) && hasWords(node.text)) report(node, node.text);
    if (ts.isJsxAttribute(node) && READABLE_ATTRIBUTES.has(node.name.getText(sf)) && node.initializer) {
      const init = node.initializer;
      const shown = ts.isJsxExpression(init) ? (init.expression ? literalsShown(init.expression) : []) : literalsShown(init);
      for (const literal of shown) report(literal, literal.getText(sf));
    }
    if (ts.isJsxExpression(node) && node.expression && !ts.isJsxAttribute(node.parent)) {
      for (const literal of literalsShown(node.expression)) report(literal, literal.getText(sf));
    }
    ts.forEachChild(node, visit);
  };
  visit(sf);
  return findings;
}

/** Literal keys passed to the translate function (`t('x')`, `i18n.t('x')`) that no catalogue has. */
export function unknownKeysIn(source: string, keys: ReadonlySet<string>, file = 'inline.tsx', callee = 't'): SourceFinding[] {
  const sf = ts.createSourceFile(file, source, ts.ScriptTarget.Latest, true, ts.ScriptKind.TSX);
  const findings: SourceFinding[] = [];
  const visit = (node: ts.Node): void => {
    if (ts.isCallExpression(node)) {
      const fn = node.expression;
      const name = ts.isPropertyAccessExpression(fn) ? fn.name.text : ts.isIdentifier(fn) ? fn.text : '';
      const first = node.arguments[0];
      if (name === callee && first && ts.isStringLiteral(first) && !keys.has(first.text)) {
        findings.push({ file, line: sf.getLineAndCharacterOfPosition(first.getStart(sf)).line + 1, text: first.text });
      }
    }
    ts.forEachChild(node, visit);
  };
  visit(sf);
  return findings;
}

/** Files under `dir` whose names end in one of `extensions`, as paths relative to `base`. */
export function sourceFiles(dir: string, extensions: readonly string[], base = dir): string[] {
  return readdirSync(dir).flatMap((name) => {
    const full = join(dir, name);
    if (statSync(full).isDirectory()) return sourceFiles(full, extensions, base);
    return extensions.some((ext) => name.endsWith(ext)) ? [relative(base, full)] : [];
  });
}

/** Runs both source checks over files (paths relative to `base`). */
export function sourceProblems(base: string, files: readonly string[], keys: ReadonlySet<string>) {
  const hardCoded: SourceFinding[] = [];
  const unknownKeys: SourceFinding[] = [];
  for (const file of files) {
    const text = readFileSync(join(base, file), 'utf8');
    if (file.endsWith('.tsx')) hardCoded.push(...hardCodedStringsIn(text, file));
    unknownKeys.push(...unknownKeysIn(text, keys, file));
  }
  return { hardCoded, unknownKeys };
}
