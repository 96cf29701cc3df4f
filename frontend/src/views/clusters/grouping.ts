import type { ClusterHeaderFragment, ServerGroupCardFragment } from '../../gql/graphql';

/** The clusters of one account and region, each with its server groups there, newest first. */
export interface LocationGroup {
  key: string;
  account: string;
  region: string;
  clusters: { cluster: ClusterHeaderFragment; serverGroups: ServerGroupCardFragment[] }[];
}

interface ClusterInput {
  node: ClusterHeaderFragment & { serverGroups: { edges: { node: ServerGroupCardFragment }[] } };
}

/**
 * Groups server groups by account and region (sorted by name), then by cluster (sorted by
 * name), newest server group first (by sequence, then creation time).
 */
export function groupByLocation(clusters: readonly ClusterInput[]): LocationGroup[] {
  const groups = new Map<string, LocationGroup>();
  for (const { node: cluster } of clusters) {
    for (const { node: sg } of cluster.serverGroups.edges) {
      const key = `${sg.account}/${sg.region}`;
      let g = groups.get(key);
      if (!g) {
        g = { key, account: sg.account, region: sg.region, clusters: [] };
        groups.set(key, g);
      }
      let c = g.clusters.find((x) => x.cluster.id === cluster.id);
      if (!c) {
        c = { cluster, serverGroups: [] };
        g.clusters.push(c);
      }
      c.serverGroups.push(sg);
    }
  }
  const newest = (a: ServerGroupCardFragment, b: ServerGroupCardFragment) =>
    (b.moniker.sequence ?? -1) - (a.moniker.sequence ?? -1) || b.createdAt.localeCompare(a.createdAt);
  return [...groups.values()]
    .sort((a, b) => a.key.localeCompare(b.key))
    .map((g) => ({
      ...g,
      clusters: g.clusters
        .sort((a, b) => a.cluster.name.localeCompare(b.cluster.name))
        .map((c) => ({ ...c, serverGroups: [...c.serverGroups].sort(newest) })),
    }));
}

/** Capacity input as typed, checked: whole numbers, 0 ≤ min ≤ desired ≤ max. */
export function validateCapacity(c: { min: string; desired: string; max: string }): string | null {
  const n = [c.min, c.desired, c.max].map((s) => (/^\d+$/.test(s.trim()) ? Number(s) : NaN));
  if (n.some(Number.isNaN)) return 'Min, desired and max must be whole numbers, 0 or more.';
  const [min, desired, max] = n;
  if (min > desired) return `Min (${min}) cannot be more than desired (${desired}).`;
  if (desired > max) return `Desired (${desired}) cannot be more than max (${max}).`;
  return null;
}
