import { describe, expect, it } from 'vitest';
import { act, render, screen, waitFor } from '@testing-library/react';
import { MemoryRouter, Route, Routes } from 'react-router';
import { Client, makeResult, type Exchange } from '@urql/core';
import { cacheExchange } from '@urql/exchange-graphcache';
import { Provider } from 'urql';
import { filter, fromValue, makeSubject, map, mergeMap, pipe } from 'wonka';
import { updates } from '../../api/cacheUpdates';
import { keys } from '../../api/client';
import { VersionBook, versionGuardExchange } from '../../api/versionGuard';
import type { LoadBalancerCardFragment, LoadBalancerEventKind } from '../../gql/graphql';
import { loadBalancer } from '../../test/fixtures';
import { LoadBalancersView } from './LoadBalancersView';

/**
 * The view over the dashboard's own cache (graphcache, its updaters and the version guard),
 * with a transport that answers the query with `initial` and relays the events it is given.
 */
function renderLive(initial: LoadBalancerCardFragment[]) {
  const events = makeSubject<unknown>();
  const transport: Exchange = () => (ops$) =>
    pipe(
      ops$,
      filter((op) => op.kind === 'query' || op.kind === 'subscription'),
      mergeMap((op) =>
        op.kind === 'query'
          ? fromValue(
              makeResult(op, {
                data: {
                  __typename: 'Query',
                  application: {
                    __typename: 'Application', id: 'QXBwOjE=', name: 'shop',
                    loadBalancers: { __typename: 'LoadBalancerConnection', edges: initial.map((node) => ({ __typename: 'LoadBalancerEdge', node })) },
                  },
                },
              }),
            )
          : pipe(events.source, map((data) => makeResult(op, { data: data as Record<string, unknown> }))),
      ),
    );
  const client = new Client({ url: 'http://test/graphql', exchanges: [cacheExchange({ keys, updates }), versionGuardExchange(new VersionBook()), transport] });
  render(
    <Provider value={client}>
      <MemoryRouter initialEntries={['/applications/shop/loadbalancers']}>
        <Routes>
          <Route path="/applications/:name/loadbalancers" element={<LoadBalancersView />} />
        </Routes>
      </MemoryRouter>
    </Provider>,
  );
  const send = (kind: LoadBalancerEventKind, version: number, lb: LoadBalancerCardFragment | null, id = lb?.id ?? '') =>
    act(() => {
      events.next({ __typename: 'Subscription', loadBalancerUpdated: { __typename: 'LoadBalancerEvent', kind, id, version, loadBalancer: lb } });
    });
  return { send };
}

/** The share of traffic the view shows for a server group. */
const share = (group: string) => screen.getByRole('meter', { name: `${group} share of traffic` }).getAttribute('aria-valuenow');

describe('LoadBalancersView', () => {
  it('moves the weights as events arrive, ignores a late older one, and drops a deleted load balancer', async () => {
    const web = (weights: Record<string, number>) => loadBalancer({}, weights);
    const { send } = renderLive([web({ 'shop-web-v001': 100, 'shop-web-v002': 0 })]);
    await screen.findByRole('heading', { name: 'shop-web' });
    expect(share('shop-web-v001')).toBe('100');

    await send('SNAPSHOT', 1, web({ 'shop-web-v001': 100, 'shop-web-v002': 0 }));
    await send('CHANGED', 2, web({ 'shop-web-v001': 75, 'shop-web-v002': 25 }));
    await waitFor(() => expect(share('shop-web-v002')).toBe('25'));
    expect(share('shop-web-v001')).toBe('75');
    expect(screen.getByRole('table', { name: 'Targets of shop-web' }).textContent).toContain('75');

    // A pass that read the provider before the shift, delivered late: older, so dropped.
    await send('CHANGED', 1, web({ 'shop-web-v001': 100, 'shop-web-v002': 0 }));
    expect(share('shop-web-v002')).toBe('25');
    await send('CHANGED', 3, web({ 'shop-web-v001': 0, 'shop-web-v002': 100 }));
    await waitFor(() => expect(share('shop-web-v002')).toBe('100'));

    await send('CHANGED', 1, loadBalancer({ id: 'TEI6Mg==', name: 'shop-api' }, { 'shop-api-v001': 100 }));
    await screen.findByRole('heading', { name: 'shop-api' });
    expect(screen.getAllByRole('heading', { level: 3 }).map((h) => h.textContent)).toEqual(['shop-api', 'shop-web']);

    await send('DELETED', 4, null, web({}).id);
    await waitFor(() => expect(screen.queryByRole('heading', { name: 'shop-web' })).toBeNull());
    expect(screen.getByRole('heading', { name: 'shop-api' })).toBeTruthy();
  });

  it('says so when the last load balancer goes away', async () => {
    const { send } = renderLive([loadBalancer()]);
    await screen.findByRole('heading', { name: 'shop-web' });
    await send('DELETED', 2, null, loadBalancer().id);
    await screen.findByText('No load balancers.');
  });
});
