import { useParams } from 'react-router';
import { useSubscription } from 'urql';
import { useLiveQuery } from '../../api/useLiveQuery';
import { AppNav } from '../../components/AppNav';
import { ErrorMessage } from '../../components/ErrorMessage';
import { LoadBalancerLiveSubscription, LoadBalancersQuery } from './queries';

/**
 * An application's load balancers with the traffic weight of each server group behind them,
 * live through loadBalancerUpdated: the weights move as a traffic shift proceeds.
 */
export function LoadBalancersView() {
  const { name = '' } = useParams();
  const [{ data, error, fetching }] = useLiveQuery({ query: LoadBalancersQuery, variables: { name } });
  const [sub] = useSubscription({ query: LoadBalancerLiveSubscription, variables: { name } });
  const lbs = data?.application?.loadBalancers.edges.map((e) => e.node) ?? [];
  return (
    <div className="page">
      <AppNav name={name} />
      <h2>Load balancers</h2>
      <ErrorMessage error={error} title="Load balancers could not be loaded" />
      <ErrorMessage error={sub.error} title="Live updates of load balancers stopped" />
      {fetching && !data && <p className="muted">Loading load balancers…</p>}
      {data && !data.application && <p role="alert">There is no application named {name}.</p>}
      {data?.application && lbs.length === 0 && <p className="muted">No load balancers.</p>}
      {lbs.map((lb) => {
        const total = lb.targets.reduce((s, t) => s + t.weight, 0);
        return (
          <section key={lb.id} className="card" aria-labelledby={`lb-${lb.id}`}>
            <header className="row">
              <h3 id={`lb-${lb.id}`}>{lb.name}</h3>
              <span className="muted small">
                {lb.account} / {lb.region} · <span className="mono">{lb.address}</span>
              </span>
            </header>
            <table className="table" aria-label={`Targets of ${lb.name}`}>
              <thead>
                <tr>
                  <th scope="col">Server group</th>
                  <th scope="col">Weight</th>
                  <th scope="col">Share</th>
                  <th scope="col">Instances up</th>
                </tr>
              </thead>
              <tbody>
                {lb.targets.map((t) => {
                  const pct = total > 0 ? Math.round((t.weight / total) * 100) : 0;
                  return (
                    <tr key={t.serverGroupName}>
                      <td>
                        {t.serverGroupName} {t.serverGroup && !t.serverGroup.enabled && <span className="pill pill-off">disabled</span>}
                      </td>
                      <td>{t.weight}</td>
                      <td>
                        <div className="weight" role="meter" aria-valuemin={0} aria-valuemax={100} aria-valuenow={pct} aria-label={`${t.serverGroupName} share of traffic`}>
                          <div className="weight-fill" style={{ width: `${pct}%` }} />
                          <span>{pct}%</span>
                        </div>
                      </td>
                      <td>{t.serverGroup ? `${t.serverGroup.instanceCounts.up} / ${t.serverGroup.instanceCounts.total}` : '–'}</td>
                    </tr>
                  );
                })}
                {lb.targets.length === 0 && (
                  <tr>
                    <td colSpan={4} className="muted">
                      No targets.
                    </td>
                  </tr>
                )}
              </tbody>
            </table>
          </section>
        );
      })}
    </div>
  );
}
