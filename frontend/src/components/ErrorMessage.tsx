import type { CombinedError } from 'urql';
import { describeError, type Problem } from '../api/errors';

/** An API error in words, with input problems listed by path. Never empty when given an error. */
export function ErrorMessage({ error, title }: { error: CombinedError | Error | null | undefined; title?: string }) {
  if (!error) return null;
  const d = describeError(error);
  return (
    <div className="error" role="alert">
      {title && <strong>{title}: </strong>}
      <span>{d.summary}</span>
      {d.details.length > 0 && (
        <ul className="error-details">
          {d.details.map((m) => (
            <li key={m}>{m}</li>
          ))}
        </ul>
      )}
      <ProblemList problems={d.problems} />
    </div>
  );
}

/** Problems (errors or guardrail warnings) with their paths. */
export function ProblemList({ problems, kind = 'error' }: { problems: readonly Problem[]; kind?: 'error' | 'warning' }) {
  if (problems.length === 0) return null;
  return (
    <ul className={`problems problems-${kind}`}>
      {problems.map((p, i) => (
        <li key={`${p.path}-${p.code}-${i}`}>
          {p.path && <code className="problem-path">{p.path}</code>} {p.message}
          {p.code && <span className="problem-code"> ({p.code})</span>}
        </li>
      ))}
    </ul>
  );
}
