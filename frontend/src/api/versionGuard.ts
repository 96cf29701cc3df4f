import { filter, pipe, tap } from 'wonka';
import type { Exchange, OperationResult } from 'urql';

/**
 * The highest version seen of each object, by global id: executions (their `version`
 * field, from queries and events), server groups (from cluster events) and load balancers
 * (from load balancer events). Everything the cache holds came through here, so it mirrors
 * the cache's versions.
 */
export class VersionBook {
  private seen = new Map<string, number>();

  /** The version held for id, if any. */
  get(id: string): number | undefined {
    return this.seen.get(id);
  }

  /** Whether version is older than what is held for id. An equal version is not stale. */
  isStale(id: string, version: number): boolean {
    const held = this.seen.get(id);
    return held !== undefined && version < held;
  }

  /** Remembers version for id unless a newer one is held. */
  record(id: string, version: number): void {
    const held = this.seen.get(id);
    if (held === undefined || version > held) this.seen.set(id, version);
  }
}

interface Versioned {
  id: string;
  version: number;
}

function asRecord(v: unknown): Record<string, unknown> | null {
  return typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Record<string, unknown>) : null;
}

/**
 * The object and version a subscription event carries: `executionUpdated` → its
 * execution's id; `clusterUpdated` → the changed server group's id; `loadBalancerUpdated`
 * → the changed load balancer's id. Null for anything else.
 */
export function eventVersion(data: unknown): Versioned | null {
  const root = asRecord(data);
  const exec = asRecord(root?.executionUpdated);
  if (exec) {
    const execution = asRecord(exec.execution);
    if (typeof execution?.id === 'string' && typeof exec.version === 'number') return { id: execution.id, version: exec.version };
  }
  for (const field of ['clusterUpdated', 'loadBalancerUpdated']) {
    const ev = asRecord(root?.[field]);
    if (ev && typeof ev.id === 'string' && typeof ev.version === 'number') return { id: ev.id, version: ev.version };
  }
  return null;
}

/** Records the version of every Execution found anywhere in a query or mutation result. */
export function recordVersions(data: unknown, book: VersionBook): void {
  if (Array.isArray(data)) {
    data.forEach((d) => recordVersions(d, book));
    return;
  }
  const obj = asRecord(data);
  if (!obj) return;
  if (obj.__typename === 'Execution' && typeof obj.id === 'string' && typeof obj.version === 'number') {
    book.record(obj.id, obj.version);
  }
  Object.values(obj).forEach((v) => recordVersions(v, book));
}

/**
 * Decides whether a result from the network may reach the cache: a subscription event
 * older than what is held is dropped; everything else passes and its versions are recorded.
 */
export function admitResult(result: OperationResult, book: VersionBook): boolean {
  if (result.operation.kind === 'subscription') {
    const ev = eventVersion(result.data);
    if (ev && book.isStale(ev.id, ev.version)) return false;
  }
  return true;
}

/**
 * An exchange placed between the cache and the transports: it drops stale subscription
 * events before graphcache writes them (graphcache's updaters run after the write, too
 * late to refuse one) and records the versions that pass.
 */
export function versionGuardExchange(book: VersionBook): Exchange {
  return ({ forward }) =>
    (ops$) =>
      pipe(
        forward(ops$),
        filter((result) => admitResult(result, book)),
        tap((result) => {
          const ev = result.operation.kind === 'subscription' ? eventVersion(result.data) : null;
          if (ev) book.record(ev.id, ev.version);
          recordVersions(result.data, book);
        }),
      );
}
