import { useMemo } from 'react';
import { useParams } from 'react-router';
import { useSubscription } from 'urql';
import { useLiveQuery } from '../../api/useLiveQuery';
import { AppNav } from '../../components/AppNav';
import { ErrorMessage } from '../../components/ErrorMessage';
import { useNow } from '../../lib/useNow';
import { groupByLocation } from './grouping';
import { ClusterLiveSubscription, ClustersQuery } from './queries';
import { RollbackButton } from './RollbackButton';
import { ServerGroupCard } from './ServerGroupCard';

/** An application's clusters by account and region, live through clusterUpdated. */
export function ClustersView() {
  const { name = '' } = useParams();
  const [{ data, error, fetching }] = useLiveQuery({ query: ClustersQuery, variables: { name } });
  const [sub] = useSubscription({ query: ClusterLiveSubscription, variables: { name } });
  const now = useNow(10_000);
  const groups = useMemo(() => groupByLocation(data?.application?.clusters.edges ?? []), [data]);

  return (
    <div className="page">
      <AppNav name={name} />
      <ErrorMessage error={error} title="Clusters could not be loaded" />
      <ErrorMessage error={sub.error} title="Live updates of clusters stopped" />
      {fetching && !data && <p className="muted">Loading clusters…</p>}
      {data && !data.application && <p role="alert">There is no application named {name}.</p>}
      {data?.application && groups.length === 0 && <p className="muted">No server groups yet: run a pipeline that deploys one.</p>}
      {groups.map((g) => (
        <section key={g.key} className="location" aria-labelledby={`loc-${g.key}`}>
          <h2 id={`loc-${g.key}`}>
            {g.account} <span className="muted">/ {g.region}</span>
          </h2>
          {g.clusters.map(({ cluster, serverGroups }) => (
            <div key={cluster.id} className="cluster">
              <div className="cluster-head">
                <h3>{cluster.name}</h3>
                <RollbackButton clusterId={cluster.id} clusterName={cluster.name} region={g.region} serverGroups={serverGroups} />
              </div>
              <div className="cards">
                {serverGroups.map((sg) => (
                  <ServerGroupCard key={sg.id} sg={sg} now={now} />
                ))}
              </div>
            </div>
          ))}
        </section>
      ))}
    </div>
  );
}
