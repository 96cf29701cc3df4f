import type { ActivityEventFragment, ActivityQuery } from '../../gql/graphql';

/** The pages of the log read so far, joined. */
export interface ActivityLog {
  events: ActivityEventFragment[];
  total: number;
  /** The cursor to read the next page after; null when there is none. */
  next: string | null;
  /** False until the first page has arrived; null application when it does not exist. */
  loaded: boolean;
  found: boolean;
}

export const emptyLog: ActivityLog = { events: [], total: 0, next: null, loaded: false, found: true };

/**
 * The log after one more page: the first page (after = null) replaces what was read, a next
 * page is appended. An event already listed is not listed twice: events written between two
 * reads push older ones onto the next page.
 */
export function addPage(log: ActivityLog, data: ActivityQuery, after: string | null): ActivityLog {
  const conn = data.application?.auditEvents;
  if (!conn) return { ...emptyLog, loaded: true, found: false };
  const base = after === null ? [] : log.events;
  const seen = new Set(base.map((e) => e.id));
  const events = [...base, ...conn.edges.map((e) => e.node).filter((e) => !seen.has(e.id))];
  const next = conn.pageInfo.hasNextPage ? (conn.pageInfo.endCursor ?? null) : null;
  return { events, total: conn.totalCount, next, loaded: true, found: true };
}
