import { ProblemList } from './ErrorMessage';

/** Guardrail warnings: risky, done anyway. */
export function Warnings({ warnings, title = 'Guardrail warnings (done anyway)' }: { warnings: readonly { path: string; code: string; message: string }[]; title?: string }) {
  if (warnings.length === 0) return null;
  return (
    <div className="warnings" role="status">
      <strong>{title}</strong>
      <ProblemList problems={warnings} kind="warning" />
    </div>
  );
}
