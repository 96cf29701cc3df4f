import type { ActivityEventFragment } from '../../gql/graphql';

type Event = Pick<ActivityEventFragment, 'action' | 'detail' | 'target' | 'execution'>;

/** What an audit event says, in words: the sentence after the actor's name, and why. */
export interface EventWords {
  /** "disabled server group shop-web-v003" */
  what: string;
  /** The reason or comment the actor gave; null when none. */
  why: string | null;
}

/** A value inside the event's detail (JSON of any shape), by path; undefined when absent. */
function at(detail: unknown, ...path: string[]): unknown {
  let v = detail;
  for (const p of path) {
    if (v === null || typeof v !== 'object' || Array.isArray(v)) return undefined;
    v = (v as Record<string, unknown>)[p];
  }
  return v;
}

/** A string or number in the detail as text; '' when absent or of another kind. */
function text(detail: unknown, ...path: string[]): string {
  const v = at(detail, ...path);
  return typeof v === 'string' || typeof v === 'number' ? String(v) : '';
}

/** "pipeline ship", or "a pipeline" when the detail did not record the name. */
function named(name: string, kind: string): string {
  if (name) return `${kind} ${name}`;
  return /^[aeiou]/.test(kind) ? `an ${kind}` : `a ${kind}`;
}

const serverGroupVerbs: Record<string, string> = {
  enableServerGroup: 'enabled',
  disableServerGroup: 'disabled',
  destroyServerGroup: 'destroyed',
  cloneServerGroup: 'cloned',
};

const executionVerbs: Record<string, string> = {
  cancelExecution: 'cancelled',
  pauseExecution: 'paused',
  resumeExecution: 'resumed',
};

const stageVerbs: Record<string, string> = {
  restartStage: 'restarted',
  skipStage: 'skipped',
};

/**
 * Turns an audit event into words from its action and what the mutation recorded in its
 * detail. An action it does not know reads as "<action> on <target type>", so a newer
 * server's events still show.
 */
export function describeEvent(ev: Event): EventWords {
  const d = ev.detail;
  const reason = text(d, 'reason');
  const run = ev.execution?.name ? `execution ${ev.execution.name}` : 'an execution';
  const group = named(text(d, 'config', 'serverGroupName'), 'server group');
  let what: string;
  let why: string | null = reason || null;
  switch (ev.action) {
    case 'createApplication':
      what = `created ${named(text(d, 'name'), 'application')}`;
      break;
    case 'updateApplication':
      what = `changed ${named(text(d, 'name'), 'application')}`;
      break;
    case 'deleteApplication':
      what = `deleted ${named(text(d, 'name'), 'application')}`;
      break;
    case 'savePipeline': {
      const stages = at(d, 'stages');
      const count = typeof stages === 'number' ? ` (${stages} stage${stages === 1 ? '' : 's'})` : '';
      what = `saved ${named(text(d, 'pipeline'), 'pipeline')}${count}`;
      break;
    }
    case 'deletePipeline':
      what = `deleted ${named(text(d, 'pipeline'), 'pipeline')}`;
      break;
    case 'triggerPipeline': {
      const trigger = text(d, 'trigger', 'type');
      const pipeline = named(text(d, 'pipeline') || ev.execution?.name || '', 'pipeline');
      what = trigger && trigger !== 'manual' ? `started ${pipeline} by its ${trigger} trigger` : `ran ${pipeline}`;
      break;
    }
    case 'webhookTrigger': {
      const source = text(d, 'source');
      what = `started ${named(text(d, 'pipeline'), 'pipeline')} on a webhook${source ? ` from ${source}` : ''}`;
      break;
    }
    case 'judgeStage': {
      const answer = text(d, 'judgment') === 'STOP' ? 'stop' : 'continue';
      const input = text(d, 'input');
      what = `judged ${named(text(d, 'stage'), 'stage')} of ${run}: ${answer}${input ? ` (${input})` : ''}`;
      why = text(d, 'comment') || null;
      break;
    }
    case 'resizeServerGroup': {
      const c = (k: string) => text(d, 'config', 'capacity', k);
      const size = c('desired') ? ` to ${c('desired')} (min ${c('min')}, max ${c('max')})` : '';
      what = `resized ${group}${size}`;
      break;
    }
    case 'rollbackCluster': {
      const region = text(d, 'config', 'region');
      what = `rolled back ${named(text(d, 'config', 'cluster'), 'cluster')}${region ? ` in ${region}` : ''}`;
      break;
    }
    case 'seedDemo':
      what = `set up the demo ${ev.target.type.toLowerCase()}`;
      break;
    default:
      if (serverGroupVerbs[ev.action]) {
        what = `${serverGroupVerbs[ev.action]} ${group}`;
      } else if (executionVerbs[ev.action]) {
        what = `${executionVerbs[ev.action]} ${run}`;
      } else if (stageVerbs[ev.action]) {
        what = `${stageVerbs[ev.action]} ${named(text(d, 'stage'), 'stage')} of ${run}`;
      } else {
        what = `${ev.action} on ${targetLabel(ev.target.type)}`;
      }
  }
  return { what, why };
}

/** A target type in words: ServerGroup → "server group". */
export function targetLabel(type: string): string {
  return type.replace(/([a-z])([A-Z])/g, '$1 $2').toLowerCase();
}
