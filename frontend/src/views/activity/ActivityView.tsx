import { useCallback, useEffect, useRef, useState } from 'react';
import { Link, useParams } from 'react-router';
import { useClient, type CombinedError } from 'urql';
import { AppNav } from '../../components/AppNav';
import { ErrorMessage } from '../../components/ErrorMessage';
import type { ActivityEventFragment } from '../../gql/graphql';
import { formatTime } from '../../lib/time';
import { describeEvent, targetLabel } from './describe';
import { addPage, emptyLog, type ActivityLog } from './pages';
import { ActivityQuery } from './queries';

/** Events per page. */
export const ACTIVITY_PAGE = 25;

/**
 * An application's audit log, newest first: who did what to which of its objects, when and
 * why, with what the mutation recorded. Read from the server each time the view opens (the
 * log has no subscription); "load more" reads the next page after the last one shown.
 */
export function ActivityView() {
  const { name = '' } = useParams();
  const { log, error, loading, load } = useActivity(name);
  return (
    <div className="page">
      <AppNav name={name} />
      <div className="page-head">
        <h2>Activity</h2>
        {log.loaded && log.found && (
          <span className="muted small" aria-live="polite">
            {log.events.length} of {log.total} event{log.total === 1 ? '' : 's'}
          </span>
        )}
      </div>
      <ErrorMessage error={error} title="The activity could not be loaded" />
      {loading && !log.loaded && <p className="muted">Loading the activity…</p>}
      {!log.found && <p role="alert">There is no application named {name}.</p>}
      {log.loaded && log.found && log.events.length === 0 && <p className="muted">Nothing has been done to this application yet.</p>}
      {log.events.length > 0 && (
        <table className="table activity" aria-label={`Activity of ${name}`}>
          <thead>
            <tr>
              <th scope="col">When</th>
              <th scope="col">Who</th>
              <th scope="col">Target</th>
              <th scope="col">What</th>
            </tr>
          </thead>
          <tbody>
            {log.events.map((ev) => (
              <EventRow key={ev.id} ev={ev} />
            ))}
          </tbody>
        </table>
      )}
      {log.next && (
        <p>
          <button type="button" disabled={loading} onClick={() => load(log.next)}>
            {loading ? 'Loading…' : 'Load more'}
          </button>
        </p>
      )}
    </div>
  );
}

/** Reads the log of an application page by page; a new name starts over. */
function useActivity(name: string) {
  const client = useClient();
  const [log, setLog] = useState<ActivityLog>(emptyLog);
  const [error, setError] = useState<CombinedError | null>(null);
  const [loading, setLoading] = useState(false);
  // Answers to an earlier application's reads are dropped.
  const generation = useRef(0);
  const load = useCallback(
    async (after: string | null) => {
      const gen = generation.current;
      setLoading(true);
      const res = await client.query(ActivityQuery, { name, first: ACTIVITY_PAGE, after }, { requestPolicy: 'network-only' }).toPromise();
      if (gen !== generation.current) return;
      setLoading(false);
      setError(res.error ?? null);
      if (res.data) {
        const data = res.data;
        setLog((cur) => addPage(cur, data, after));
      }
    },
    [client, name],
  );
  useEffect(() => {
    generation.current++;
    setLog(emptyLog);
    void load(null);
  }, [load]);
  return { log, error, loading, load };
}

function EventRow({ ev }: { ev: ActivityEventFragment }) {
  const { what, why } = describeEvent(ev);
  return (
    <tr>
      <td>
        <time dateTime={ev.at}>{formatTime(ev.at)}</time>
      </td>
      <td>
        <strong>{ev.actor || 'unknown'}</strong>
      </td>
      <td>
        {targetLabel(ev.target.type)}
        {ev.execution && (
          <>
            {' · '}
            <Link to={`/executions/${encodeURIComponent(ev.execution.id)}`}>{ev.execution.name || 'execution'}</Link>
          </>
        )}
      </td>
      <td>
        <span>{what}</span>
        {why && <span className="muted"> — “{why}”</span>}
        <details>
          <summary className="small">Detail</summary>
          <pre className="json">{JSON.stringify(ev.detail, null, 2)}</pre>
        </details>
      </td>
    </tr>
  );
}
