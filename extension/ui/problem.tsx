import { useT } from '../stores/context.js';
import { problemText, type Problem } from '../stores/errors.js';

/** A failure in the user's language (server codes are translated, never shown raw). */
export function ProblemLine({ problem }: { problem: Problem | undefined }) {
  const t = useT();
  if (!problem) return null;
  return (
    <p class="problem" role="alert">
      {problemText(t, problem)}
    </p>
  );
}
