import { describe, expect, it } from 'vitest';
import { Client, makeResult, type Exchange, type Operation, type OperationResult } from '@urql/core';
import { cacheExchange } from '@urql/exchange-graphcache';
import { filter, fromValue, makeSubject, map, mergeMap, pipe, subscribe } from 'wonka';
import { keys } from './client';
import { updates } from './cacheUpdates';
import { admitResult, eventVersion, VersionBook, versionGuardExchange } from './versionGuard';
import { ExecutionLiveSubscription, ExecutionQuery, JudgeStageMutation } from '../views/execution/queries';
import type { ExecutionDetailFragment, ExecutionStatus } from '../gql/graphql';

describe('VersionBook', () => {
  it('holds the highest version and calls only older ones stale', () => {
    const book = new VersionBook();
    expect(book.isStale('x', 1)).toBe(false);
    book.record('x', 5);
    book.record('x', 3);
    expect(book.get('x')).toBe(5);
    expect(book.isStale('x', 4)).toBe(true);
    expect(book.isStale('x', 5)).toBe(false);
    expect(book.isStale('x', 6)).toBe(false);
    expect(book.isStale('y', 1)).toBe(false);
  });
});

describe('eventVersion', () => {
  it('reads the version of every kind of event', () => {
    expect(eventVersion({ executionUpdated: { version: 7, execution: { id: 'e1' } } })).toEqual({ id: 'e1', version: 7 });
    expect(eventVersion({ clusterUpdated: { id: 'sg1', version: 3, serverGroup: null } })).toEqual({ id: 'sg1', version: 3 });
    expect(eventVersion({ loadBalancerUpdated: { id: 'lb1', version: 4, loadBalancer: null } })).toEqual({ id: 'lb1', version: 4 });
    expect(eventVersion({ execution: { id: 'e1', version: 1 } })).toBeNull();
    expect(eventVersion(null)).toBeNull();
  });
});

describe('admitResult', () => {
  const op = (kind: Operation['kind']) => ({ kind }) as Operation;
  it('drops a stale subscription event and nothing else', () => {
    const book = new VersionBook();
    book.record('sg1', 4);
    const ev = (v: number) => ({ clusterUpdated: { id: 'sg1', version: v } });
    expect(admitResult({ operation: op('subscription'), data: ev(3) } as OperationResult, book)).toBe(false);
    expect(admitResult({ operation: op('subscription'), data: ev(4) } as OperationResult, book)).toBe(true);
    expect(admitResult({ operation: op('query'), data: ev(1) } as OperationResult, book)).toBe(true);
  });
});

function detail(status: ExecutionStatus, version: number): ExecutionDetailFragment {
  return {
    __typename: 'Execution', id: 'RXhlYzox', type: 'PIPELINE', name: 'deploy', status, version,
    createdAt: '2025-01-01T10:00:00Z', startedAt: '2025-01-01T10:00:00Z', endedAt: null,
    canceled: false, canceledBy: null, cancelReason: null, triggeredBy: 'ana', reason: '', parameters: {},
    trigger: { __typename: 'ExecutionTrigger', type: 'manual', user: 'ana' },
    application: { __typename: 'Application', id: 'QXBwOjE=', name: 'shop' },
    pipeline: { __typename: 'Pipeline', id: 'UGlwZTox', name: 'deploy' },
    stages: [],
  };
}

describe('the cache fed by subscriptions', () => {
  it('applies newer events and drops older ones, including older than the query', async () => {
    const tick = () => new Promise((r) => setTimeout(r, 0));
    const events = makeSubject<unknown>();
    // Stands in for fetch and graphql-ws: a query answers version 5, a subscription relays events.
    const transport: Exchange = () => (ops$) =>
      pipe(
        ops$,
        filter((op) => op.kind === 'query' || op.kind === 'subscription'),
        mergeMap((op) =>
          op.kind === 'query'
            ? fromValue(makeResult(op, { data: { __typename: 'Query', execution: detail('RUNNING', 5) } }))
            : pipe(events.source, map((data) => makeResult(op, { data: data as Record<string, unknown> }))),
        ),
      );
    const client = new Client({ url: 'http://test/graphql', exchanges: [cacheExchange({ keys, updates }), versionGuardExchange(new VersionBook()), transport] });
    const seen: string[] = [];
    const q = pipe(client.query(ExecutionQuery, { id: 'RXhlYzox' }), subscribe((r) => r.data?.execution && seen.push(`${r.data.execution.status}@${r.data.execution.version}`)));
    const s = pipe(client.subscription(ExecutionLiveSubscription, { id: 'RXhlYzox' }), subscribe(() => {}));
    const send = (status: ExecutionStatus, version: number) =>
      events.next({ __typename: 'Subscription', executionUpdated: { __typename: 'ExecutionEvent', kind: 'CHANGED', version, execution: detail(status, version) } });

    await tick();
    send('PAUSED', 3); // older than what the query brought
    await tick();
    send('SUCCEEDED', 7);
    await tick();
    send('RUNNING', 6); // arrives late
    await tick();
    q.unsubscribe();
    s.unsubscribe();
    expect(seen[0]).toBe('RUNNING@5');
    expect(seen.at(-1)).toBe('SUCCEEDED@7');
    expect(seen).not.toContain('PAUSED@3');
    expect(seen).not.toContain('RUNNING@6');
  });

  // Found by the demo e2e: the engine finished the pipeline within milliseconds of the
  // judgment, so every event up to SUCCEEDED arrived before the judgeStage answer, whose
  // execution still said RUNNING; written last, it put the header back to RUNNING for good.
  it('keeps a newer event over the late answer of the mutation that caused it', async () => {
    const tick = () => new Promise((r) => setTimeout(r, 0));
    const events = makeSubject<unknown>();
    const answer = makeSubject<unknown>();
    const transport: Exchange = () => (ops$) =>
      pipe(
        ops$,
        filter((op) => op.kind !== 'teardown'),
        mergeMap((op) => {
          if (op.kind === 'query') return fromValue(makeResult(op, { data: { __typename: 'Query', execution: detail('RUNNING', 5) } }));
          const source = op.kind === 'mutation' ? answer.source : events.source;
          return pipe(source, map((data) => makeResult(op, { data: data as Record<string, unknown> })));
        }),
      );
    const client = new Client({ url: 'http://test/graphql', exchanges: [cacheExchange({ keys, updates }), versionGuardExchange(new VersionBook()), transport] });
    const seen: string[] = [];
    const q = pipe(client.query(ExecutionQuery, { id: 'RXhlYzox' }), subscribe((r) => r.data?.execution && seen.push(`${r.data.execution.status}@${r.data.execution.version}`)));
    const s = pipe(client.subscription(ExecutionLiveSubscription, { id: 'RXhlYzox' }), subscribe(() => {}));
    await tick();
    const judged = client.mutation(JudgeStageMutation, { input: { id: 'c3RhZ2U6MQ==', judgment: 'CONTINUE' } }).toPromise();
    await tick();
    events.next({ __typename: 'Subscription', executionUpdated: { __typename: 'ExecutionEvent', kind: 'CHANGED', version: 9, execution: { ...detail('SUCCEEDED', 9), endedAt: '2025-01-01T10:01:00Z' } } });
    await tick();
    // What the server answers, as it was when the judgment was recorded.
    answer.next({ __typename: 'Mutation', judgeStage: { __typename: 'ExecutionPayload', execution: { ...detail('RUNNING', 6) }, warnings: [] } });
    const r = await judged;
    await tick();
    q.unsubscribe();
    s.unsubscribe();
    expect(r.data?.judgeStage.execution.id).toBe('RXhlYzox');
    expect(seen.at(-1)).toBe('SUCCEEDED@9');
    expect(seen).not.toContain('RUNNING@6');
  });
});
