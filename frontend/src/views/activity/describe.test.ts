import { describe, expect, it } from 'vitest';
import { describeEvent, targetLabel } from './describe';

const ev = (action: string, detail: unknown, over: { type?: string; execution?: string } = {}) => ({
  action,
  detail,
  target: { __typename: 'AuditTarget' as const, type: over.type ?? 'Application', id: 'x' },
  execution: over.execution ? { __typename: 'Execution' as const, id: 'e', name: over.execution } : null,
});

describe('describeEvent', () => {
  it.each([
    ['createApplication', { name: 'shop' }, {}, 'created application shop', null],
    ['updateApplication', { name: 'shop' }, {}, 'changed application shop', null],
    ['deleteApplication', {}, {}, 'deleted an application', null],
    ['savePipeline', { application: 'shop', pipeline: 'ship', stages: 3 }, { type: 'Pipeline' }, 'saved pipeline ship (3 stages)', null],
    ['savePipeline', { pipeline: 'ship', stages: 1 }, { type: 'Pipeline' }, 'saved pipeline ship (1 stage)', null],
    ['deletePipeline', { pipeline: 'ship' }, { type: 'Pipeline' }, 'deleted pipeline ship', null],
    ['triggerPipeline', { pipeline: 'ship', reason: 'release 42' }, { type: 'Execution', execution: 'ship' }, 'ran pipeline ship', 'release 42'],
    ['triggerPipeline', { trigger: { type: 'cron' } }, { type: 'Execution', execution: 'nightly' }, 'started pipeline nightly by its cron trigger', null],
    ['webhookTrigger', { pipeline: 'ship', source: 'github' }, { type: 'Execution' }, 'started pipeline ship on a webhook from github', null],
    ['cancelExecution', { reason: 'wrong build' }, { type: 'Execution', execution: 'ship' }, 'cancelled execution ship', 'wrong build'],
    ['pauseExecution', { reason: '' }, { type: 'Execution' }, 'paused an execution', null],
    ['skipStage', { stage: 'Wait', refId: '2' }, { type: 'Execution', execution: 'ship' }, 'skipped stage Wait of execution ship', null],
    ['judgeStage', { stage: 'Approve', judgment: 'STOP', input: 'hold', comment: 'error rate up' }, { type: 'Execution', execution: 'ship' },
      'judged stage Approve of execution ship: stop (hold)', 'error rate up'],
    ['judgeStage', { stage: 'Approve', judgment: 'CONTINUE', input: '', comment: '' }, { type: 'Execution' }, 'judged stage Approve of an execution: continue', null],
    ['disableServerGroup', { config: { serverGroupName: 'shop-web-v003' }, reason: 'bad canary' }, { type: 'ServerGroup' },
      'disabled server group shop-web-v003', 'bad canary'],
    ['resizeServerGroup', { config: { serverGroupName: 'shop-web-v003', capacity: { min: 1, desired: 2, max: 4 } }, reason: '' }, { type: 'ServerGroup' },
      'resized server group shop-web-v003 to 2 (min 1, max 4)', null],
    ['destroyServerGroup', { config: {} }, { type: 'ServerGroup' }, 'destroyed a server group', null],
    ['rollbackCluster', { config: { cluster: 'shop-web', region: 'eu' }, reason: 'v3 is slow' }, { type: 'Cluster' }, 'rolled back cluster shop-web in eu', 'v3 is slow'],
    ['seedDemo', {}, { type: 'Pipeline' }, 'set up the demo pipeline', null],
    ['somethingNew', null, { type: 'LoadBalancer' }, 'somethingNew on load balancer', null],
  ])('%s %j', (action, detail, over, what, why) => {
    expect(describeEvent(ev(action, detail, over))).toEqual({ what, why });
  });

  it('reads a detail of any shape without failing', () => {
    for (const detail of [null, 'text', 42, [], { config: 'x' }, { name: { nested: true } }]) {
      expect(describeEvent(ev('createApplication', detail)).what).toBe('created an application');
    }
  });
});

describe('targetLabel', () => {
  it('splits the type into words', () => {
    expect(targetLabel('ServerGroup')).toBe('server group');
    expect(targetLabel('Execution')).toBe('execution');
  });
});
