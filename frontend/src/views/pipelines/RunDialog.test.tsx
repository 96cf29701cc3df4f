import { describe, expect, it, vi } from 'vitest';
import { render, screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { MemoryRouter } from 'react-router';
import { Provider, type Client } from 'urql';
import { fromValue } from 'wonka';
import { RunDialog } from './RunDialog';

const pipeline = {
  id: 'UGlwZTox',
  name: 'deploy',
  parameters: [
    { name: 'version', label: 'Version', description: 'What to ship', default: '', required: true, options: [] },
    { name: 'region', label: 'Region', description: '', default: '', required: true, options: ['eu', 'us'] },
    { name: 'canary', label: 'Canary', description: '', default: 'yes', required: false, options: [] },
  ],
};

describe('RunDialog', () => {
  it('builds a field per parameter and refuses to run without the required ones', async () => {
    const executeMutation = vi.fn();
    render(<MemoryRouter><Provider value={{ executeMutation } as unknown as Client}><RunDialog pipeline={pipeline} onClose={() => {}} /></Provider></MemoryRouter>);
    expect(screen.getByRole('dialog', { name: 'Run deploy' })).toBeTruthy();
    expect((screen.getByLabelText(/Region/) as HTMLSelectElement).tagName).toBe('SELECT');
    expect((screen.getByLabelText('Canary') as HTMLInputElement).value).toBe('yes');
    await userEvent.click(screen.getByRole('button', { name: 'Run' }));
    expect(screen.getByText('Version is required.')).toBeTruthy();
    expect(screen.getByText('Region is required.')).toBeTruthy();
    expect(executeMutation).not.toHaveBeenCalled();
  });

  it('runs with the chosen values and links to the execution', async () => {
    const executeMutation = vi.fn(() =>
      fromValue({ data: { triggerPipeline: { __typename: 'ExecutionPayload', execution: { __typename: 'Execution', id: 'RXhlYzo5', name: 'deploy', status: 'RUNNING', version: 1 }, warnings: [{ __typename: 'Warning', path: 'stages', code: 'NO_JUDGMENT', message: 'prod without a judgment' }] } }, stale: false, hasNext: false }),
    );
    render(<MemoryRouter><Provider value={{ executeMutation } as unknown as Client}><RunDialog pipeline={pipeline} onClose={() => {}} /></Provider></MemoryRouter>);
    await userEvent.type(screen.getByLabelText(/Version/), '1.4.2');
    await userEvent.selectOptions(screen.getByLabelText(/Region/), 'us');
    await userEvent.type(screen.getByLabelText('Reason'), 'hotfix');
    await userEvent.click(screen.getByRole('button', { name: 'Run' }));
    expect(executeMutation).toHaveBeenCalledTimes(1);
    const calls = executeMutation.mock.calls as unknown as [{ variables: unknown }][];
    expect(calls[0][0].variables).toEqual({ input: { pipelineId: 'UGlwZTox', parameters: { version: '1.4.2', region: 'us', canary: 'yes' }, reason: 'hotfix' } });
    expect((await screen.findByRole('link', { name: 'follow the execution' })).getAttribute('href')).toBe('/executions/RXhlYzo5');
    expect(screen.getByText(/prod without a judgment/)).toBeTruthy();
  });
});
