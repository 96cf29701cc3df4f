import { describe, expect, it } from 'vitest';
import { render, screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { MemoryRouter, Route, Routes } from 'react-router';
import { Client, makeResult, type Exchange } from '@urql/core';
import { cacheExchange } from '@urql/exchange-graphcache';
import { Provider } from 'urql';
import { filter, map, pipe } from 'wonka';
import { updates } from '../../api/cacheUpdates';
import { keys } from '../../api/client';
import type { ActivityEventFragment } from '../../gql/graphql';
import { ACTIVITY_PAGE, ActivityView } from './ActivityView';

/** Event i of the log: i = 0 is the oldest; a few are server group operations. */
function event(i: number): ActivityEventFragment {
  const disable = i % 10 === 9;
  return {
    __typename: 'AuditEvent',
    id: `ev-${i}`,
    at: new Date(Date.UTC(2025, 0, 1, 10, i)).toISOString(),
    actor: disable ? 'dave' : 'alice',
    action: disable ? 'disableServerGroup' : 'savePipeline',
    applicationName: 'shop',
    detail: disable ? { config: { serverGroupName: `shop-web-v00${i % 7}` }, reason: 'bad canary' } : { pipeline: `p${i}`, stages: 2 },
    target: { __typename: 'AuditTarget', type: disable ? 'ServerGroup' : 'Pipeline', id: `t-${i}` },
    execution: disable ? { __typename: 'Execution', id: `RXhlYzo${i}`, name: `disableServerGroup shop-web-v00${i % 7}` } : null,
  };
}

/**
 * The view over the dashboard's own cache (graphcache with its keys) and a transport that serves a log of `total` events, newest first, page by
 * page as the API does: a cursor is the event's number.
 */
function renderActivity(total: number, errorCode?: string) {
  const asked: (string | null)[] = [];
  const log = Array.from({ length: total }, (_, i) => event(total - 1 - i));
  const transport: Exchange = () => (ops$) =>
    pipe(
      ops$,
      filter((op) => op.kind === 'query'),
      map((op) => {
        const { first, after } = op.variables as { first: number; after: string | null };
        asked.push(after);
        const start = after === null ? 0 : log.findIndex((e) => e.id === after) + 1;
        const page = log.slice(start, start + first);
        if (errorCode) {
          return makeResult(op, { data: null, errors: [{ message: 'refused', path: ['application', 'auditEvents'], extensions: { code: errorCode } }] });
        }
        return makeResult(op, {
          data: {
            __typename: 'Query',
            application: {
              __typename: 'Application', id: 'QXBwOnNob3A', name: 'shop',
              auditEvents: {
                __typename: 'AuditEventConnection', totalCount: total,
                pageInfo: { __typename: 'PageInfo', hasNextPage: start + first < total, endCursor: page.at(-1)?.id ?? null },
                edges: page.map((node) => ({ __typename: 'AuditEventEdge', cursor: node.id, node })),
              },
            },
          },
        });
      }),
    );
  const client = new Client({ url: 'http://test/graphql', exchanges: [cacheExchange({ keys, updates }), transport] });
  render(
    <Provider value={client}>
      <MemoryRouter initialEntries={['/applications/shop/activity']}>
        <Routes>
          <Route path="/applications/:name/activity" element={<ActivityView />} />
        </Routes>
      </MemoryRouter>
    </Provider>,
  );
  return { asked };
}

const rows = () => within(screen.getByRole('table', { name: 'Activity of shop' })).getAllByRole('row').slice(1);

describe('ActivityView', () => {
  it('lists the newest events in words, then the next page on "load more"', async () => {
    const { asked } = renderActivity(ACTIVITY_PAGE + 5);
    await screen.findByRole('table', { name: 'Activity of shop' });
    expect(rows()).toHaveLength(ACTIVITY_PAGE);
    expect(screen.getByText(`${ACTIVITY_PAGE} of ${ACTIVITY_PAGE + 5} events`)).toBeTruthy();
    // Newest first: event 29 is a disable by dave, with its reason and its orchestration.
    const first = rows()[0];
    expect(first.textContent).toContain('dave');
    expect(first.textContent).toContain('disabled server group shop-web-v001');
    expect(first.textContent).toContain('“bad canary”');
    expect(within(first).getByRole('link', { name: 'disableServerGroup shop-web-v001' }).getAttribute('href')).toBe('/executions/RXhlYzo29');
    expect(first.querySelector('time')?.getAttribute('dateTime')).toBe('2025-01-01T10:29:00.000Z');
    expect(rows()[1].textContent).toContain('saved pipeline p28 (2 stages)');

    await userEvent.click(screen.getByRole('button', { name: 'Load more' }));
    await screen.findByText(`${ACTIVITY_PAGE + 5} of ${ACTIVITY_PAGE + 5} events`);
    expect(rows()).toHaveLength(ACTIVITY_PAGE + 5);
    expect(rows().at(-1)?.textContent).toContain('saved pipeline p0');
    expect(asked).toEqual([null, 'ev-5']);
    expect(screen.queryByRole('button', { name: 'Load more' })).toBeNull();
  });

  it('says why the log cannot be read', async () => {
    renderActivity(3, 'FORBIDDEN');
    const alert = await screen.findByRole('alert');
    expect(alert.textContent).toContain('The activity could not be loaded');
    expect(alert.textContent).toContain('not allowed');
    expect(screen.queryByRole('table')).toBeNull();
  });

  it('says so when nothing has been done', async () => {
    renderActivity(0);
    await screen.findByText('Nothing has been done to this application yet.');
    expect(screen.queryByRole('button', { name: 'Load more' })).toBeNull();
  });
});
