import { UcBridgeError } from '../../sdk/index.js';
import { SignInError } from '../auth/entra-flow.js';
import type { Translator } from '../i18n/index.js';

/** A failure as the UI keeps it: a stable code (translated at render time) and its parameters. */
export interface Problem {
  code: string;
  params?: Record<string, string>;
}

/** SDK errors keep their code (the server's, or the SDK's own); their messages are already token-free. */
export function problemOf(error: unknown): Problem {
  if (error instanceof SignInError) return { code: error.code, params: { reason: error.reason } };
  if (error instanceof UcBridgeError) return { code: error.code, params: { reason: error.message } };
  return { code: 'unknown' };
}

export const problemText = (t: Translator, problem: Problem): string => t.errorText(problem.code, problem.params);
