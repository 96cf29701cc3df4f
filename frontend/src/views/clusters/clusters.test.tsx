import { describe, expect, it, vi } from 'vitest';
import { render, screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { MemoryRouter } from 'react-router';
import { Provider, type Client } from 'urql';
import { fromValue } from 'wonka';
import { serverGroup } from '../../test/fixtures';
import { groupByLocation, validateCapacity } from './grouping';
import { ServerGroupCard } from './ServerGroupCard';

const header = (id: string, name: string) => ({ __typename: 'Cluster' as const, id, name, account: 'x', moniker: { __typename: 'Moniker' as const, cluster: name, stack: '', detail: '' } });
const edges = (...sgs: ReturnType<typeof serverGroup>[]) => ({ serverGroups: { edges: sgs.map((node) => ({ node })) } });

describe('groupByLocation', () => {
  it('groups by account and region, then cluster, newest server group first', () => {
    const groups = groupByLocation([
      { node: { ...header('c2', 'shop-web'), ...edges(serverGroup({ id: 'a', name: 'shop-web-v001', moniker: { __typename: 'Moniker', cluster: 'shop-web', sequence: 1 } }), serverGroup({ id: 'b', name: 'shop-web-v002', moniker: { __typename: 'Moniker', cluster: 'shop-web', sequence: 2 } }), serverGroup({ id: 'c', name: 'shop-web-v003', region: 'eu' })) } },
      { node: { ...header('c1', 'shop-api'), ...edges(serverGroup({ id: 'd', name: 'shop-api-v001', account: 'prod' })) } },
    ]);
    expect(groups.map((g) => g.key)).toEqual(['local/eu', 'local/here', 'prod/here']);
    expect(groups[1].clusters[0].serverGroups.map((s) => s.name)).toEqual(['shop-web-v002', 'shop-web-v001']);
  });
});

describe('validateCapacity', () => {
  it('wants whole numbers with min ≤ desired ≤ max', () => {
    expect(validateCapacity({ min: '1', desired: '2', max: '3' })).toBeNull();
    expect(validateCapacity({ min: '3', desired: '2', max: '3' })).toContain('Min (3)');
    expect(validateCapacity({ min: '0', desired: '4', max: '3' })).toContain('Desired (4)');
    expect(validateCapacity({ min: '-1', desired: 'x', max: '3' })).toContain('whole numbers');
  });
});

describe('ServerGroupCard', () => {
  it('shows what runs, its capacity, and a square per instance', () => {
    render(<MemoryRouter><Provider value={{} as Client}><ServerGroupCard sg={serverGroup()} now={Date.parse('2025-01-01T10:05:00Z')} /></Provider></MemoryRouter>);
    const card = screen.getByRole('article', { name: 'Server group shop-web-v001' });
    expect(within(card).getByText('1.0.0')).toBeTruthy();
    expect(within(card).getByText('enabled')).toBeTruthy();
    expect(within(card).getByText('5m 00s ago')).toBeTruthy();
    expect(within(card).getByRole('group', { name: '2 instances, 1 up, 1 starting' }).querySelectorAll('.instance')).toHaveLength(2);
  });

  it('asks before destroying, says what will happen, then calls destroyServerGroup', async () => {
    const executeMutation = vi.fn(() => fromValue({ data: { destroyServerGroup: { __typename: 'ExecutionPayload', execution: { __typename: 'Execution', id: 'RXhlYzo3', name: 'Destroy shop-web-v001', status: 'RUNNING', version: 1 }, warnings: [] } }, stale: false, hasNext: false }));
    render(<MemoryRouter><Provider value={{ executeMutation } as unknown as Client}><ServerGroupCard sg={serverGroup()} now={0} /></Provider></MemoryRouter>);
    await userEvent.click(screen.getByRole('button', { name: 'Destroy shop-web-v001' }));
    const dialog = screen.getByRole('dialog', { name: 'Destroy shop-web-v001' });
    expect(dialog.textContent).toContain('its 2 instances will be terminated. This cannot be undone.');
    expect(dialog.textContent).toContain('taking traffic now');
    expect(executeMutation).not.toHaveBeenCalled();
    await userEvent.click(within(dialog).getByRole('button', { name: 'Destroy shop-web-v001' }));
    const calls = executeMutation.mock.calls as unknown as [{ variables: unknown }][];
    expect(calls[0][0].variables).toEqual({ input: { id: serverGroup().id, reason: '' } });
    expect((await screen.findByRole('link', { name: 'Destroy shop-web-v001' })).getAttribute('href')).toBe('/executions/RXhlYzo3');
  });

  it('asks before terminating an instance, says the group replaces it, then calls terminateInstances', async () => {
    const executeMutation = vi.fn(() => fromValue({ data: { terminateInstances: { __typename: 'ExecutionPayload', execution: { __typename: 'Execution', id: 'RXhlYzo4', name: 'terminateInstances shop-web-v001', status: 'RUNNING', version: 1 }, warnings: [] } }, stale: false, hasNext: false }));
    render(<MemoryRouter><Provider value={{ executeMutation } as unknown as Client}><ServerGroupCard sg={serverGroup()} now={0} /></Provider></MemoryRouter>);
    const id = serverGroup().instances.edges[0].node.instanceId;
    await userEvent.click(screen.getByRole('button', { name: `Terminate ${id}` }));
    const dialog = screen.getByRole('dialog', { name: `Terminate ${id}` });
    expect(dialog.textContent).toContain(`Terminate ${id} of shop-web-v001`);
    expect(dialog.textContent).toContain('the server group starts a replacement');
    expect(executeMutation).not.toHaveBeenCalled();
    await userEvent.click(within(dialog).getByRole('button', { name: `Terminate ${id}` }));
    const calls = executeMutation.mock.calls as unknown as [{ variables: unknown }][];
    expect(calls[0][0].variables).toEqual({ input: { id: serverGroup().id, instanceIds: [id], reason: '' } });
    expect((await screen.findByRole('link', { name: 'terminateInstances shop-web-v001' })).getAttribute('href')).toBe('/executions/RXhlYzo4');
    expect(screen.queryByRole('dialog')).toBeNull();
  });
});
