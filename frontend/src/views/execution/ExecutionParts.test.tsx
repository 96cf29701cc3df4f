import { describe, expect, it, vi } from 'vitest';
import { fireEvent, render, screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { Provider, type Client } from 'urql';
import { fromValue } from 'wonka';
import { DagGraph } from '../../components/DagGraph';
import type { StageDetailFragment } from '../../gql/graphql';
import { judgmentChoices } from './judgment';
import { JudgmentPanel } from './JudgmentPanel';
import { NotificationsPanel } from './NotificationsPanel';

const judgment: StageDetailFragment = {
  __typename: 'Stage', id: 'U3RhZ2U6Mg==', refId: '2', type: 'manualJudgment', name: 'Approve prod', requisiteStageRefIds: ['1'], status: 'RUNNING',
  context: { instructions: 'Check the canary dashboard.', judgmentInputs: [{ value: 'ship' }, { value: 'hold' }] }, outputs: {}, error: null,
  startedAt: '2025-01-01T10:00:00Z', endedAt: null, tasks: [],
};

describe('judgmentChoices', () => {
  it('reads {value} entries and skips junk', () => {
    expect(judgmentChoices({ judgmentInputs: [{ value: 'a' }, 'b', { nope: 1 }, { value: '' }] })).toEqual(['a', 'b']);
    expect(judgmentChoices(null)).toEqual([]);
  });
});

describe('JudgmentPanel', () => {
  it('sends the choice, the comment and the judgment', async () => {
    const executeMutation = vi.fn(() => fromValue({ data: { judgeStage: { __typename: 'ExecutionPayload', execution: { __typename: 'Execution', id: 'e', name: 'x', status: 'RUNNING', version: 2 }, warnings: [] } }, stale: false, hasNext: false }));
    render(<Provider value={{ executeMutation } as unknown as Client}><JudgmentPanel stage={judgment} /></Provider>);
    expect(screen.getByText('Check the canary dashboard.')).toBeTruthy();
    await userEvent.selectOptions(screen.getByLabelText('Choice'), 'hold');
    await userEvent.type(screen.getByLabelText('Comment'), 'error rate up');
    await userEvent.click(screen.getByRole('button', { name: 'Stop' }));
    const calls = executeMutation.mock.calls as unknown as [{ variables: unknown }][];
    expect(calls[0][0].variables).toEqual({ input: { id: 'U3RhZ2U6Mg==', judgment: 'STOP', comment: 'error rate up', input: 'hold' } });
  });
});

describe('DagGraph', () => {
  it('draws one labelled, focusable node per stage and reports a selection', async () => {
    const onSelect = vi.fn();
    const { container } = render(
      <div style={{ width: 800, height: 400 }}>
        <DagGraph
          label="Stages"
          onSelect={onSelect}
          stages={[
            { refId: '1', name: 'Bake', type: 'wait', requisiteStageRefIds: [], status: 'SUCCEEDED', caption: '12s' },
            { refId: '2', name: 'Approve prod', type: 'manualJudgment', requisiteStageRefIds: ['1'], status: 'RUNNING' },
          ]}
        />
      </div>,
    );
    // jsdom does no layout, so React Flow keeps the nodes hidden (unmeasured): query the DOM.
    await screen.findAllByText('Approve prod');
    const node = container.querySelector<HTMLButtonElement>('button[aria-label="Approve prod (manualJudgment), Running"]');
    expect(node).not.toBeNull();
    expect(container.querySelector('button[aria-label="Bake (wait), Succeeded, 12s"]')).not.toBeNull();
    expect(container.querySelectorAll('button.dag-node')).toHaveLength(2);
    fireEvent.click(node!);
    expect(onSelect).toHaveBeenCalledWith('2');
  });
});

describe('NotificationsPanel', () => {
  const rows = [
    { __typename: 'NotificationDelivery', event: 'pipeline.starting', status: 'SENT', attempts: 1, lastError: null, createdAt: '2025-01-01T10:00:00Z', updatedAt: '2025-01-01T10:00:01Z', stage: null, targets: [{ __typename: 'NotificationTarget', type: 'slack', host: 'hooks.slack.com' }] },
    { __typename: 'NotificationDelivery', event: 'stage.failed', status: 'FAILED', attempts: 5, lastError: 'http://hooks.example/x answered 500', createdAt: '2025-01-01T10:01:00Z', updatedAt: '2025-01-01T10:01:09Z', stage: { __typename: 'Stage', id: 's1', name: 'Deploy' }, targets: [{ __typename: 'NotificationTarget', type: 'webhook', host: 'hooks.example' }] },
  ];
  const clientWith = (notifications: unknown[]) => {
    const executeQuery = vi.fn(() => fromValue({ data: { execution: { __typename: 'Execution', id: 'e1', notifications } }, stale: false, hasNext: false }));
    return { client: { executeQuery } as unknown as Client, executeQuery };
  };

  it('lists each event with where it went, how it went, and the failures counted', () => {
    const { client } = clientWith(rows);
    render(<Provider value={client}><NotificationsPanel id="e1" version={3} /></Provider>);
    expect(screen.getByText('1 failed')).toBeTruthy();
    expect(screen.getByText('slack hooks.slack.com')).toBeTruthy();
    expect(screen.getByText('sent')).toBeTruthy();
    expect(screen.getByText('gave up')).toBeTruthy();
    expect(screen.getByText('http://hooks.example/x answered 500')).toBeTruthy();
    expect(screen.getByText(/Deploy/)).toBeTruthy();
  });

  it('asks again when the execution changes, and shows nothing when there is nothing', () => {
    const { client, executeQuery } = clientWith([]);
    const { container, rerender } = render(<Provider value={client}><NotificationsPanel id="e1" version={3} /></Provider>);
    expect(container.textContent).toBe('');
    const before = executeQuery.mock.calls.length;
    rerender(<Provider value={client}><NotificationsPanel id="e1" version={4} /></Provider>);
    expect(executeQuery.mock.calls.length).toBeGreaterThan(before);
  });
});
