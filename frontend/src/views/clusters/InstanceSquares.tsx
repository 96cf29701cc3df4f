import type { ServerGroupCardFragment } from '../../gql/graphql';
import { healthStyle } from '../../lib/status';

/** One square per instance, coloured by health; the whole is described in words. */
export function InstanceSquares({ sg }: { sg: ServerGroupCardFragment }) {
  const c = sg.instanceCounts;
  const words = [`${c.total} instance${c.total === 1 ? '' : 's'}`, c.up && `${c.up} up`, c.starting && `${c.starting} starting`, c.down && `${c.down} down`, c.outOfService && `${c.outOfService} out of service`, c.unknown && `${c.unknown} unknown`]
    .filter(Boolean)
    .join(', ');
  const shown = sg.instances.edges;
  return (
    <div className="instances" role="img" aria-label={words}>
      {shown.map(({ node: i }) => {
        const h = healthStyle(i.health);
        return <span key={i.id} className="instance" style={{ backgroundColor: h.color }} title={`${i.instanceId} ${i.zone}: ${h.label}${i.healthDetail ? ` (${i.healthDetail})` : ''}`} data-health={i.health} />;
      })}
      {sg.instances.totalCount > shown.length && <span className="muted small">+{sg.instances.totalCount - shown.length}</span>}
      {c.total === 0 && <span className="muted small">no instances</span>}
    </div>
  );
}
