import { beforeEach, describe, expect, it, vi } from 'vitest';
import { fireEvent, render, screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { MemoryRouter, Route, Routes } from 'react-router';
import { Provider, type Client } from 'urql';
import { fromValue, never } from 'wonka';
import { GraphQLError } from 'graphql';
import { CombinedError } from '@urql/core';
import { blankDefinition } from './definition';
import { PipelineEditorView } from './PipelineEditorView';

// jsdom has no CSS.escape, which user-event needs to walk a radio group with the arrow keys.
window.CSS ??= { escape: (s: string) => s.replace(/[^\w-]/g, '\\$&') } as typeof CSS;

const saved = {
  __typename: 'Pipeline', id: 'UGlwZTox', name: 'deploy', description: '', version: 3, updatedAt: '2025-01-01T10:00:00Z', updatedBy: 'ann',
  limitConcurrent: true, maxConcurrentExecutions: 0, keepWaitingPipelines: false, disabled: false,
  application: { __typename: 'Application', id: 'QXBwOjE=', name: 'shop' },
  stages: [{ __typename: 'Stage', refId: '1', type: 'wait', name: 'Soak', requisiteStageRefIds: [], config: { waitTime: 30 } }],
  triggers: [], parameters: [], notifications: [], warnings: [],
};

function renderEditor(path: string, answer: () => { data?: unknown; error?: CombinedError } = () => ({}), loaded = true) {
  const executeMutation = vi.fn(() => fromValue({ ...answer(), stale: false, hasNext: false }));
  const executeQuery = vi.fn(() => (loaded ? fromValue({ data: { pipeline: saved }, stale: false, hasNext: false }) : never));
  render(
    <Provider value={{ executeMutation, executeQuery, executeSubscription: () => never } as unknown as Client}>
      <MemoryRouter initialEntries={[path]}>
        <Routes>
          <Route path="/applications/:name/pipelines/new" element={<PipelineEditorView />} />
          <Route path="/applications/:name/pipelines/:id/edit" element={<PipelineEditorView />} />
        </Routes>
      </MemoryRouter>
    </Provider>,
  );
  return { executeMutation };
}

const definitionText = (format: 'JSON' | 'YAML') => screen.getByLabelText(`Definition (${format})`) as HTMLTextAreaElement;
const radio = (name: 'JSON' | 'YAML') => screen.getByRole('radio', { name }) as HTMLInputElement;

describe('PipelineEditorView format switch', () => {
  beforeEach(() => localStorage.clear());

  it('starts in JSON and converts to YAML from the keyboard, keeping the graph', async () => {
    renderEditor('/applications/shop/pipelines/new');
    expect(within(screen.getByRole('group', { name: 'Format' })).getAllByRole('radio')).toHaveLength(2);
    expect(radio('JSON').checked).toBe(true);
    expect(JSON.parse(definitionText('JSON').value)).toEqual(blankDefinition());

    // Tab reaches the switch (after the header's link and button), the arrow key moves it.
    for (let i = 0; i < 10 && document.activeElement !== radio('JSON'); i++) await userEvent.tab();
    expect(document.activeElement).toBe(radio('JSON'));
    await userEvent.keyboard('{ArrowRight}');

    expect(radio('YAML').checked).toBe(true);
    expect(definitionText('YAML').value).toContain('stages:\n  - refId: "1"\n    type: wait\n');
    expect(screen.getByText('2 stages')).toBeTruthy();
    expect(await screen.findAllByText('Approve')).not.toHaveLength(0);
    expect(localStorage.getItem('gennaker.pipelineEditor.format')).toBe('yaml');
  });

  it('refuses to switch a text that cannot be read, and keeps text and format', async () => {
    renderEditor('/applications/shop/pipelines/new');
    await userEvent.click(radio('YAML'));
    const broken = 'name: deploy\nstages:\n  - refId: "1"\n   type: wait\n';
    fireEvent.change(definitionText('YAML'), { target: { value: broken } });
    expect(screen.getByText(/^The YAML cannot be read at line 4/)).toBeTruthy();
    expect((screen.getByRole('button', { name: 'Save' }) as HTMLButtonElement).disabled).toBe(true);

    await userEvent.click(radio('JSON'));
    expect(screen.getByRole('alert').textContent).toMatch(/It stays YAML: fix it before switching to JSON\.$/);
    expect(radio('YAML').checked).toBe(true);
    expect(radio('JSON').checked).toBe(false);
    expect(definitionText('YAML').value).toBe(broken);
    expect(localStorage.getItem('gennaker.pipelineEditor.format')).toBe('yaml');
  });

  it('saves YAML as the same input as JSON and shows the problems at their YAML lines', async () => {
    const problem = { path: 'input.stages[1].requisiteStageRefIds[0]', code: 'UNKNOWN_STAGE', message: 'no stage nope' };
    const error = new CombinedError({ graphQLErrors: [new GraphQLError('invalid pipeline', { extensions: { code: 'BAD_USER_INPUT', problems: [problem] } })] });
    const { executeMutation } = renderEditor('/applications/shop/pipelines/new', () => ({ error }));
    await userEvent.click(radio('YAML'));
    const yaml = definitionText('YAML').value.replace('requisiteStageRefIds:\n      - "1"', 'requisiteStageRefIds: [nope]');
    expect(yaml).toContain('[nope]');
    fireEvent.change(definitionText('YAML'), { target: { value: yaml } });
    await userEvent.click(screen.getByRole('button', { name: 'Save' }));

    const want = blankDefinition();
    want.stages[1].requisiteStageRefIds = ['nope'];
    const calls = executeMutation.mock.calls as unknown as [{ variables: unknown }][];
    expect(calls[0][0].variables).toEqual({ input: { ...want, application: 'shop' } });

    const line = yaml.split('\n').findIndex((l) => l.includes('[nope]')) + 1;
    const alert = await screen.findByRole('alert');
    expect(alert.textContent).toContain('no stage nope');
    await userEvent.click(within(alert).getByRole('button', { name: `line ${line}` }));
    const area = definitionText('YAML');
    expect(area.value.slice(area.selectionStart, area.selectionEnd)).toBe('    requisiteStageRefIds: [nope]');
  });

  it('opens a saved pipeline in the remembered format', async () => {
    localStorage.setItem('gennaker.pipelineEditor.format', 'yaml');
    renderEditor('/applications/shop/pipelines/UGlwZTox/edit');
    expect(radio('YAML').matches(':disabled')).toBe(false);
    expect(radio('YAML').checked).toBe(true);
    expect(definitionText('YAML').value).toContain('  - refId: "1"\n    type: wait\n    name: Soak\n');
    expect(definitionText('YAML').value).not.toContain('__typename');
  });

  it('cannot switch before a saved pipeline is loaded', () => {
    renderEditor('/applications/shop/pipelines/UGlwZTox/edit', undefined, false);
    // Disabled through the group's fieldset.
    expect(radio('JSON').matches(':disabled')).toBe(true);
    expect(radio('YAML').matches(':disabled')).toBe(true);
  });
});
