import { useConnection, type ConnectionStatus } from '../api/connection';

const words: Record<ConnectionStatus, { short: string; long: string }> = {
  connecting: { short: 'Connecting…', long: 'Connecting to the Gennaker API for live updates.' },
  live: { short: 'Live', long: 'Live: changes appear as they happen.' },
  reconnecting: { short: 'Reconnecting…', long: 'The live connection was lost; reconnecting. What is shown may be out of date.' },
  offline: { short: 'Offline', long: 'Offline: the Gennaker API cannot be reached. Retrying; what is shown may be out of date.' },
};

/** The state of the live connection, announced politely to screen readers. */
export function ConnectionBadge() {
  const { status } = useConnection();
  const w = words[status];
  return (
    <div className={`connection connection-${status}`} role="status" aria-live="polite" title={w.long} data-testid="connection">
      <span className="connection-dot" aria-hidden="true" />
      <span className="connection-short">{w.short}</span>
      <span className="visually-hidden">{w.long}</span>
    </div>
  );
}

/** A banner under the header while the connection is not live after having failed. */
export function ConnectionBanner() {
  const { status } = useConnection();
  if (status === 'live' || status === 'connecting') return null;
  return <div className={`banner banner-${status}`}>{words[status].long}</div>;
}
