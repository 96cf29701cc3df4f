import type { ExecutionStatus } from '../gql/graphql';
import { statusStyle } from '../lib/status';

/** A status as a coloured label. */
export function StatusBadge({ status }: { status: ExecutionStatus }) {
  const s = statusStyle(status);
  return (
    <span className="status-badge" style={{ backgroundColor: s.color }} data-status={status}>
      {s.label}
    </span>
  );
}
