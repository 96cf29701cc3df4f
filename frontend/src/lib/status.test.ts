import { describe, expect, it } from 'vitest';
import type { ExecutionStatus, HealthState } from '../gql/graphql';
import { healthStyle, isActive, statusStyle } from './status';

const all: ExecutionStatus[] = ['NOT_STARTED', 'BUFFERED', 'RUNNING', 'PAUSED', 'SUSPENDED', 'SUCCEEDED', 'FAILED_CONTINUE', 'TERMINAL', 'CANCELED', 'REDIRECT', 'STOPPED', 'SKIPPED'];

describe('statusStyle', () => {
  it('has a label and a colour for every status of the schema', () => {
    for (const s of all) {
      expect(statusStyle(s).label).not.toBe('');
      expect(statusStyle(s).color).toMatch(/^#[0-9a-f]{6}$/);
    }
  });

  it('tells success, failure and progress apart by colour', () => {
    const colours = new Set(['SUCCEEDED', 'TERMINAL', 'RUNNING', 'PAUSED', 'FAILED_CONTINUE'].map((s) => statusStyle(s as ExecutionStatus).color));
    expect(colours.size).toBe(5);
    expect(statusStyle('TERMINAL').label).toBe('Failed');
  });

  it('knows which statuses can still change', () => {
    expect(all.filter(isActive)).toEqual(['NOT_STARTED', 'BUFFERED', 'RUNNING', 'PAUSED', 'SUSPENDED']);
  });
});

describe('healthStyle', () => {
  it('colours up green-ish and down red-ish, differently', () => {
    const states: HealthState[] = ['UP', 'DOWN', 'STARTING', 'OUT_OF_SERVICE', 'UNKNOWN', 'FAILED', 'SUCCEEDED', 'DRAINING'];
    states.forEach((h) => expect(healthStyle(h).label).not.toBe(''));
    expect(healthStyle('UP').color).not.toBe(healthStyle('DOWN').color);
    expect(healthStyle('STARTING').color).not.toBe(healthStyle('UP').color);
  });
});
