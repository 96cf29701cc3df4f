import { Link } from 'react-router';
import { useSubscription } from 'urql';
import { describeError } from '../../api/errors';
import { StatusBadge } from '../../components/StatusBadge';
import type { ApplicationRowFragment } from '../../gql/graphql';
import { formatAge } from '../../lib/time';
import { LastDeploySubscription } from './queries';

/**
 * The status of an application's newest execution. When live, the row subscribes to the
 * application's executions; events land in the cache, which re-renders the list.
 */
export function LastDeploy({ app, now, live }: { app: ApplicationRowFragment; now: number; live: boolean }) {
  const [sub] = useSubscription({ query: LastDeploySubscription, variables: { name: app.name }, pause: !live });
  const last = app.executions.edges[0]?.node;
  return (
    <>
      {last ? (
        <Link to={`/executions/${encodeURIComponent(last.id)}`} className="last-deploy" aria-label={`Last execution ${last.name}: ${last.status}`}>
          <StatusBadge status={last.status} /> <span className="small muted">{formatAge(last.createdAt, now)}</span>
        </Link>
      ) : (
        <span className="muted small">never deployed</span>
      )}
      {sub.error && <div className="error-inline">Live updates stopped: {describeError(sub.error).summary}</div>}
    </>
  );
}
