import { useSyncExternalStore } from 'react';

/** What the operator sees of the subscription socket. */
export type ConnectionStatus = 'connecting' | 'live' | 'reconnecting' | 'offline';

export interface ConnectionState {
  status: ConnectionStatus;
  /** Grows on every reconnection after a loss: views re-snapshot when it changes. */
  epoch: number;
  /** Failed attempts since the last successful connection. */
  failures: number;
  everConnected: boolean;
  browserOffline: boolean;
}

export type ConnectionEvent =
  | { type: 'connected' }
  | { type: 'closed' }
  | { type: 'browser-offline' }
  | { type: 'browser-online' };

/** After this many failed attempts in a row the dashboard says "offline" (it keeps trying). */
export const OFFLINE_AFTER_FAILURES = 3;

export const initialConnection: ConnectionState = {
  status: 'connecting',
  epoch: 0,
  failures: 0,
  everConnected: false,
  browserOffline: false,
};

/** The pure state machine behind the connection badge. */
export function nextConnection(s: ConnectionState, e: ConnectionEvent): ConnectionState {
  switch (e.type) {
    case 'connected': {
      // Anything may have changed while the socket was down (or before it first came up
      // after failures): bump the epoch so that views fetch a fresh snapshot.
      const resnapshot = s.everConnected || s.failures > 0;
      return { ...s, status: 'live', failures: 0, everConnected: true, epoch: resnapshot ? s.epoch + 1 : s.epoch };
    }
    case 'closed': {
      const failures = s.failures + 1;
      const status: ConnectionStatus =
        s.browserOffline || failures >= OFFLINE_AFTER_FAILURES ? 'offline' : s.everConnected ? 'reconnecting' : 'connecting';
      return { ...s, failures, status };
    }
    case 'browser-offline':
      return { ...s, browserOffline: true, status: 'offline' };
    case 'browser-online':
      return { ...s, browserOffline: false, status: s.status === 'live' ? 'live' : 'reconnecting' };
  }
}

/** A tiny store of the connection state, fed by graphql-ws events. */
export class ConnectionStore {
  private state: ConnectionState = initialConnection;
  private listeners = new Set<() => void>();

  dispatch = (e: ConnectionEvent): void => {
    const next = nextConnection(this.state, e);
    if (next === this.state) return;
    this.state = next;
    this.listeners.forEach((l) => l());
  };

  subscribe = (listener: () => void): (() => void) => {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  };

  getSnapshot = (): ConnectionState => this.state;
}

/** The store the app's client reports to. */
export const connectionStore = new ConnectionStore();

if (typeof window !== 'undefined') {
  window.addEventListener('offline', () => connectionStore.dispatch({ type: 'browser-offline' }));
  window.addEventListener('online', () => connectionStore.dispatch({ type: 'browser-online' }));
}

/** The current connection state; re-renders when it changes. */
export function useConnection(store: ConnectionStore = connectionStore): ConnectionState {
  return useSyncExternalStore(store.subscribe, store.getSnapshot);
}
