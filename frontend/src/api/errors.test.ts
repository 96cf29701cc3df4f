import { describe, expect, it } from 'vitest';
import { CombinedError } from '@urql/core';
import { GraphQLError } from 'graphql';
import { describeError, sentenceForCode } from './errors';

const gql = (message: string, extensions: Record<string, unknown>) => new CombinedError({ graphQLErrors: [new GraphQLError(message, { extensions })] });

describe('describeError', () => {
  it('has a sentence for each code of the API', () => {
    for (const code of ['BAD_USER_INPUT', 'NOT_FOUND', 'CONFLICT', 'FORBIDDEN', 'INTERNAL']) {
      expect(sentenceForCode(code)).toMatch(/\.$/);
      expect(describeError(gql('x', { code })).code).toBe(code);
    }
  });

  it('lists input problems with their paths', () => {
    const d = describeError(gql('2 problems in the input', {
      code: 'BAD_USER_INPUT',
      problems: [
        { path: 'input.name', code: 'INVALID_NAME', message: 'must be lower-case letters and digits' },
        { path: 'stages[1].requisiteStageRefIds', code: 'CYCLE', message: 'stages form a cycle' },
      ],
    }));
    expect(d.summary).toContain('not accepted');
    expect(d.problems.map((p) => p.path)).toEqual(['input.name', 'stages[1].requisiteStageRefIds']);
    expect(d.details).toEqual([]);
  });

  it('keeps the message of a conflict and hides the text of an internal error', () => {
    expect(describeError(gql('pipeline changed since version 3', { code: 'CONFLICT' })).details).toEqual(['pipeline changed since version 3']);
    const internal = describeError(gql('internal error (ref 9f2c)', { code: 'INTERNAL' }));
    expect(internal.summary).toContain('The server failed');
    expect(internal.details).toEqual([]);
  });

  it('says the API cannot be reached on a network error, with the HTTP status', () => {
    const e = new CombinedError({ networkError: new Error('Not Found'), response: { status: 404 } });
    const d = describeError(e);
    expect(d.code).toBe('NETWORK');
    expect(d.summary).toContain('cannot be reached');
    expect(d.summary).toContain('HTTP 404');
  });

  it('falls back to the message for a code it does not know', () => {
    expect(describeError(gql('the operation is nested 20 levels deep', { code: 'DEPTH_LIMIT_EXCEEDED' })).summary).toBe('The request was refused: the operation is nested 20 levels deep');
  });
});
