import { describe, expect, it } from 'vitest';
import { initialConnection, nextConnection, OFFLINE_AFTER_FAILURES, type ConnectionEvent } from './connection';

const run = (...events: ConnectionEvent['type'][]) => events.reduce((s, type) => nextConnection(s, { type } as ConnectionEvent), initialConnection);

describe('nextConnection', () => {
  it('goes live on the first connection without asking for a re-snapshot', () => {
    const s = run('connected');
    expect(s.status).toBe('live');
    expect(s.epoch).toBe(0);
  });

  it('says reconnecting after a loss, offline after repeated failures, and re-snapshots when back', () => {
    expect(run('connected', 'closed').status).toBe('reconnecting');
    const failing = Array<ConnectionEvent['type']>(OFFLINE_AFTER_FAILURES).fill('closed');
    expect(run('connected', ...failing).status).toBe('offline');
    const back = run('connected', 'closed', 'closed', 'connected');
    expect(back.status).toBe('live');
    expect(back.epoch).toBe(1);
    expect(back.failures).toBe(0);
  });

  it('re-snapshots when the first connection comes only after failures', () => {
    expect(run('closed', 'connected').epoch).toBe(1);
    expect(run('closed').status).toBe('connecting');
  });

  it('follows the browser going offline and online', () => {
    expect(run('connected', 'browser-offline').status).toBe('offline');
    expect(run('connected', 'browser-offline', 'closed').status).toBe('offline');
    expect(run('connected', 'browser-offline', 'closed', 'browser-online').status).toBe('reconnecting');
  });
});
