import { useEffect } from 'react';
import { useQuery } from 'urql';
import { ErrorMessage } from '../../components/ErrorMessage';
import { formatTime } from '../../lib/time';
import { ExecutionNotificationsQuery } from './queries';

const statusWords: Record<string, string> = {
  PENDING: 'not sent yet',
  SENT: 'sent',
  FAILED: 'gave up',
};

/**
 * What the pipeline's notifications (webhooks, Slack) said about this execution and whether
 * they got through. Read again whenever the execution changes (its version), and on demand.
 */
export function NotificationsPanel({ id, version }: { id: string; version: number }) {
  const [{ data, error, fetching }, refetch] = useQuery({ query: ExecutionNotificationsQuery, variables: { id }, requestPolicy: 'network-only' });
  useEffect(() => {
    refetch({ requestPolicy: 'network-only' });
  }, [version, refetch]);
  const rows = data?.execution?.notifications ?? [];
  if (!error && rows.length === 0) return null;
  const failed = rows.filter((n) => n.status === 'FAILED').length;
  return (
    <section className="notifications" aria-labelledby="notifications-title">
      <div className="page-head">
        <h2 id="notifications-title">
          Notifications {failed > 0 && <span className="pill error-inline">{failed} failed</span>}
        </h2>
        <button type="button" onClick={() => refetch({ requestPolicy: 'network-only' })} disabled={fetching}>
          Refresh
        </button>
      </div>
      <ErrorMessage error={error} title="The notifications could not be loaded" />
      {rows.length > 0 && (
        <table className="table">
          <thead>
            <tr>
              <th scope="col">Event</th>
              <th scope="col">To</th>
              <th scope="col">Status</th>
              <th scope="col">Attempts</th>
              <th scope="col">Last change</th>
            </tr>
          </thead>
          <tbody>
            {rows.map((n) => (
              <tr key={`${n.event}/${n.stage?.id ?? ''}/${n.createdAt}`}>
                <td>
                  {n.event}
                  {n.stage && <span className="muted"> · {n.stage.name}</span>}
                </td>
                <td>{n.targets.map((t) => `${t.type} ${t.host}`).join(', ')}</td>
                <td>
                  {statusWords[n.status] ?? n.status}
                  {n.lastError && <div className={n.status === 'FAILED' ? 'error-inline' : 'muted small'}>{n.lastError}</div>}
                </td>
                <td>{n.attempts}</td>
                <td>{formatTime(n.updatedAt)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}
