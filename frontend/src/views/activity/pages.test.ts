import { describe, expect, it } from 'vitest';
import type { ActivityEventFragment, ActivityQuery } from '../../gql/graphql';
import { addPage, emptyLog } from './pages';

const ev = (id: string): ActivityEventFragment => ({
  __typename: 'AuditEvent', id, at: '2025-01-01T10:00:00Z', actor: 'ana', action: 'savePipeline', applicationName: 'shop', detail: {},
  target: { __typename: 'AuditTarget', type: 'Pipeline', id: 'p' }, execution: null,
});

const page = (ids: string[], total: number, hasNextPage: boolean): ActivityQuery => ({
  __typename: 'Query',
  application: {
    __typename: 'Application', id: 'a', name: 'shop',
    auditEvents: {
      __typename: 'AuditEventConnection', totalCount: total,
      pageInfo: { __typename: 'PageInfo', hasNextPage, endCursor: ids.at(-1) ?? null },
      edges: ids.map((id) => ({ __typename: 'AuditEventEdge', cursor: id, node: ev(id) })),
    },
  },
});

const ids = (log: { events: { id: string }[] }) => log.events.map((e) => e.id).join(',');

describe('addPage', () => {
  it('appends a next page, and starts over on a first page', () => {
    let log = addPage(emptyLog, page(['e9', 'e8'], 5, true), null);
    expect([ids(log), log.total, log.next, log.loaded]).toEqual(['e9,e8', 5, 'e8', true]);
    log = addPage(log, page(['e7', 'e6'], 5, true), 'e8');
    expect([ids(log), log.next]).toEqual(['e9,e8,e7,e6', 'e6']);
    log = addPage(log, page(['e5'], 5, false), 'e6');
    expect([ids(log), log.next]).toEqual(['e9,e8,e7,e6,e5', null]);
    log = addPage(log, page(['e10', 'e9'], 6, true), null);
    expect([ids(log), log.total]).toEqual(['e10,e9', 6]);
  });

  it('lists an event once when a page repeats one', () => {
    const log = addPage(addPage(emptyLog, page(['e9', 'e8'], 4, true), null), page(['e8', 'e7'], 4, false), 'e8');
    expect(ids(log)).toBe('e9,e8,e7');
  });

  it('says when the application does not exist', () => {
    const log = addPage(emptyLog, { __typename: 'Query', application: null }, null);
    expect([log.loaded, log.found, log.events.length]).toEqual([true, false, 0]);
  });
});
