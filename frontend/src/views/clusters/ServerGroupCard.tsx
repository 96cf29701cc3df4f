import { useState } from 'react';
import type { ServerGroupCardFragment } from '../../gql/graphql';
import { formatAge } from '../../lib/time';
import { InstanceSquares } from './InstanceSquares';
import { ServerGroupActions } from './ServerGroupActions';
import { TerminateInstance } from './TerminateInstance';

/** A server group: what it runs, how big it is, whether it takes traffic, its instances. */
export function ServerGroupCard({ sg, now }: { sg: ServerGroupCardFragment; now: number }) {
  const [victim, setVictim] = useState<string | null>(null);
  return (
    <article className={`card sg ${sg.enabled ? 'sg-enabled' : 'sg-disabled'}`} aria-label={`Server group ${sg.name}`} data-testid={`sg-${sg.name}`}>
      <header className="sg-head">
        <h4>{sg.name}</h4>
        <span className={`pill ${sg.enabled ? 'pill-on' : 'pill-off'}`}>{sg.enabled ? 'enabled' : 'disabled'}</span>
      </header>
      <dl className="facts">
        <dt>Version</dt>
        <dd>{sg.artifact.version || '–'}</dd>
        <dt>Artifact</dt>
        <dd className="mono" title={sg.artifact.reference}>
          {sg.artifact.type}: {sg.artifact.reference}
        </dd>
        <dt>Capacity</dt>
        <dd>
          {sg.capacity.min} / {sg.capacity.desired} / {sg.capacity.max} <span className="muted small">(min / desired / max)</span>
        </dd>
        <dt>Age</dt>
        <dd>{formatAge(sg.createdAt, now)}</dd>
      </dl>
      <InstanceSquares sg={sg} onPick={setVictim} />
      <ServerGroupActions sg={sg} />
      <TerminateInstance sg={sg} instanceId={victim} onClose={() => setVictim(null)} />
    </article>
  );
}
