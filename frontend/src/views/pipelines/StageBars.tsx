import { Link } from 'react-router';
import { StatusBadge } from '../../components/StatusBadge';
import type { ExecutionSummaryFragment } from '../../gql/graphql';
import { layoutStageBars } from '../../lib/stageBars';
import { statusStyle } from '../../lib/status';
import { durationMs, formatAge, formatDuration } from '../../lib/time';

/** One execution as a row: its status, then a bar per stage, coloured by status, as wide as it took. */
export function ExecutionRow({ execution, now }: { execution: ExecutionSummaryFragment; now: number }) {
  const bars = layoutStageBars(execution.stages, now);
  return (
    <li className="execution-row" data-testid={`execution-${execution.id}`}>
      <Link to={`/executions/${encodeURIComponent(execution.id)}`} className="execution-link" aria-label={`Execution ${execution.name} started ${formatAge(execution.createdAt, now)}: ${statusStyle(execution.status).label}`}>
        <StatusBadge status={execution.status} />
        <span className="small muted">{formatAge(execution.createdAt, now)}</span>
        <span className="small muted">{formatDuration(durationMs(execution.startedAt, execution.endedAt, now))}</span>
      </Link>
      <div className="bars" role="list" aria-label="Stages">
        {bars.map((b) => (
          <div
            key={b.refId}
            role="listitem"
            className="bar"
            style={{ width: `${b.widthPct}%`, backgroundColor: b.color }}
            title={`${b.name}: ${statusStyle(b.status).label}, ${formatDuration(b.durationMs)}`}
            aria-label={`${b.name}: ${statusStyle(b.status).label}, ${formatDuration(b.durationMs)}`}
            data-status={b.status}
          />
        ))}
        {bars.length === 0 && <span className="muted small">no stages</span>}
      </div>
    </li>
  );
}
