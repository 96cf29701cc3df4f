import { Link } from 'react-router';
import { Warnings } from '../../components/Warnings';
import type { OperationResultFragment } from '../../gql/graphql';

/** What an operation started: a link to its execution, and any guardrail warnings. */
export function OperationOutcome({ result, what }: { result: OperationResultFragment; what: string }) {
  return (
    <div className="outcome" role="status">
      {what} started as <Link to={`/executions/${encodeURIComponent(result.execution.id)}`}>{result.execution.name || 'an operation'}</Link>.
      <Warnings warnings={result.warnings} />
    </div>
  );
}
