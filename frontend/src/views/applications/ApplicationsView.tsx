import { useMemo, useState } from 'react';
import { Link } from 'react-router';
import { useLiveQuery } from '../../api/useLiveQuery';
import { ErrorMessage } from '../../components/ErrorMessage';
import type { ApplicationRowFragment } from '../../gql/graphql';
import { useNow } from '../../lib/useNow';
import { CreateApplicationForm } from './CreateApplicationForm';
import { LastDeploy } from './LastDeploy';
import { ApplicationsQuery } from './queries';

/**
 * Rows past this many are not live: each live row is one subscription (the API filters
 * execution events by application) and starts with a snapshot of up to 50 executions.
 */
export const LIVE_ROWS = 25;

/** Whether an application matches a search: name, description or owner, case-insensitive. */
export function matchesSearch(app: Pick<ApplicationRowFragment, 'name' | 'description' | 'ownerEmail'>, search: string): boolean {
  const q = search.trim().toLowerCase();
  if (q === '') return true;
  return [app.name, app.description, app.ownerEmail].some((s) => s.toLowerCase().includes(q));
}

/** Every application, searchable, with its criticality and the status of its newest execution. */
export function ApplicationsView() {
  const [{ data, error, fetching }] = useLiveQuery({ query: ApplicationsQuery });
  const [search, setSearch] = useState('');
  const now = useNow(10_000);
  const apps = useMemo(() => (data?.applications.edges ?? []).map((e) => e.node).filter((a) => matchesSearch(a, search)), [data, search]);

  return (
    <div className="page">
      <div className="page-head">
        <h1>Applications</h1>
        <label className="search">
          <span className="visually-hidden">Search applications</span>
          <input type="search" placeholder="Search by name, description or owner" value={search} onChange={(e) => setSearch(e.target.value)} aria-label="Search applications" />
        </label>
      </div>
      <ErrorMessage error={error} title="Applications could not be loaded" />
      {fetching && !data && <p className="muted">Loading applications…</p>}
      {data && (
        <table className="table" aria-label="Applications">
          <thead>
            <tr>
              <th scope="col">Name</th>
              <th scope="col">Criticality</th>
              <th scope="col">Owner</th>
              <th scope="col">Last deploy</th>
            </tr>
          </thead>
          <tbody>
            {apps.map((a, i) => {
              return (
                <tr key={a.id} data-testid={`app-${a.name}`}>
                  <td>
                    <Link to={`/applications/${encodeURIComponent(a.name)}/clusters`}>{a.name}</Link>
                    {a.description && <div className="muted small">{a.description}</div>}
                  </td>
                  <td>
                    <span className={`criticality criticality-${a.criticality.toLowerCase()}`}>{a.criticality.toLowerCase()}</span>
                  </td>
                  <td className="small">{a.ownerEmail}</td>
                  <td>
                    <LastDeploy app={a} now={now} live={i < LIVE_ROWS} />
                  </td>
                </tr>
              );
            })}
            {apps.length === 0 && (
              <tr>
                <td colSpan={4} className="muted">
                  {search ? `No application matches "${search}".` : 'No applications yet: create the first one below.'}
                </td>
              </tr>
            )}
          </tbody>
        </table>
      )}
      {apps.length > LIVE_ROWS && <p className="muted small">The last deploy of the first {LIVE_ROWS} applications shown is live; search to follow others.</p>}
      <CreateApplicationForm />
    </div>
  );
}
