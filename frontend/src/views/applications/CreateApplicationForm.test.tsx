import { describe, expect, it, vi } from 'vitest';
import { render, screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { Provider, type Client } from 'urql';
import { fromValue } from 'wonka';
import { GraphQLError } from 'graphql';
import { CombinedError } from '@urql/core';
import { CreateApplicationForm } from './CreateApplicationForm';

function clientAnswering(answer: (vars: Record<string, unknown>) => { data?: unknown; error?: CombinedError }) {
  const executeMutation = vi.fn(({ variables }: { variables: Record<string, unknown> }) => fromValue({ ...answer(variables), stale: false, hasNext: false }));
  return { client: { executeMutation } as unknown as Client, executeMutation };
}

describe('CreateApplicationForm', () => {
  it('shows what is wrong at each field and sends nothing', async () => {
    const { client, executeMutation } = clientAnswering(() => ({}));
    render(<Provider value={client}><CreateApplicationForm /></Provider>);
    await userEvent.type(screen.getByLabelText('Name'), 'My-App');
    await userEvent.click(screen.getByRole('button', { name: 'Create application' }));
    expect(screen.getByLabelText('Name').getAttribute('aria-invalid')).toBe('true');
    expect(screen.getByText(/Lower-case letters and digits only/)).toBeTruthy();
    expect(screen.getByText('An owner email is required.')).toBeTruthy();
    expect(executeMutation).not.toHaveBeenCalled();
  });

  it('creates the application and says so', async () => {
    const app = { __typename: 'Application', id: 'a1', name: 'shop', description: '', ownerEmail: 'team@example.com', criticality: 'HIGH', version: 1, executions: { __typename: 'ExecutionConnection', edges: [] } };
    const { client, executeMutation } = clientAnswering(() => ({ data: { createApplication: { __typename: 'ApplicationPayload', application: app } } }));
    const onCreated = vi.fn();
    render(<Provider value={client}><CreateApplicationForm onCreated={onCreated} /></Provider>);
    await userEvent.type(screen.getByLabelText('Name'), 'shop');
    await userEvent.type(screen.getByLabelText('Owner email'), 'team@example.com');
    await userEvent.selectOptions(screen.getByLabelText('Criticality'), 'HIGH');
    await userEvent.click(screen.getByRole('button', { name: 'Create application' }));
    expect(executeMutation.mock.calls[0][0].variables).toEqual({ input: { name: 'shop', description: '', ownerEmail: 'team@example.com', criticality: 'HIGH' } });
    expect(await screen.findByText('Application shop created.')).toBeTruthy();
    expect(onCreated).toHaveBeenCalledWith('shop');
  });

  it('shows the server refusal in words and its problem at the field', async () => {
    const error = new CombinedError({ graphQLErrors: [new GraphQLError('input.name: taken', { extensions: { code: 'BAD_USER_INPUT', problems: [{ path: 'input.name', code: 'DUPLICATE', message: 'an application named shop exists' }] } })] });
    const { client } = clientAnswering(() => ({ error }));
    render(<Provider value={client}><CreateApplicationForm /></Provider>);
    await userEvent.type(screen.getByLabelText('Name'), 'shop');
    await userEvent.type(screen.getByLabelText('Owner email'), 'team@example.com');
    await userEvent.click(screen.getByRole('button', { name: 'Create application' }));
    expect(await screen.findByRole('alert')).toHaveProperty('textContent', expect.stringContaining('was not accepted'));
    expect(screen.getAllByText(/an application named shop exists/).length).toBeGreaterThan(0);
  });
});
