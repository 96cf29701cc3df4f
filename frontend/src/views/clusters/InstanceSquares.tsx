import type { ServerGroupCardFragment } from '../../gql/graphql';
import { healthStyle } from '../../lib/status';

/**
 * One square per instance, coloured by health; the whole is described in words. With onPick,
 * each square is a button that picks its instance (to terminate it).
 */
export function InstanceSquares({ sg, onPick }: { sg: ServerGroupCardFragment; onPick?: (instanceId: string) => void }) {
  const c = sg.instanceCounts;
  const words = [`${c.total} instance${c.total === 1 ? '' : 's'}`, c.up && `${c.up} up`, c.starting && `${c.starting} starting`, c.down && `${c.down} down`, c.outOfService && `${c.outOfService} out of service`, c.unknown && `${c.unknown} unknown`]
    .filter(Boolean)
    .join(', ');
  const shown = sg.instances.edges;
  return (
    <div className="instances" role={onPick ? 'group' : 'img'} aria-label={words}>
      {shown.map(({ node: i }) => {
        const h = healthStyle(i.health);
        const title = `${i.instanceId} ${i.zone}: ${h.label}${i.healthDetail ? ` (${i.healthDetail})` : ''}`;
        return onPick ? (
          <button key={i.id} type="button" className="instance" style={{ backgroundColor: h.color }} title={`${title}. Click to terminate it.`} aria-label={`Terminate ${i.instanceId}`} data-health={i.health} onClick={() => onPick(i.instanceId)} />
        ) : (
          <span key={i.id} className="instance" style={{ backgroundColor: h.color }} title={title} data-health={i.health} />
        );
      })}
      {sg.instances.totalCount > shown.length && <span className="muted small">+{sg.instances.totalCount - shown.length}</span>}
      {c.total === 0 && <span className="muted small">no instances</span>}
    </div>
  );
}
