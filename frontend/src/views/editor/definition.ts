import type { PipelineDefinitionFragment, SavePipelineInput } from '../../gql/graphql';
import { readText, type Format } from './formats';

/** The part of SavePipelineInput a person edits: everything but id, version and application. */
export type EditableDefinition = Omit<SavePipelineInput, 'id' | 'version' | 'application'>;

/** A new pipeline's starting point. */
export function blankDefinition(): EditableDefinition {
  return {
    name: 'deploy',
    description: '',
    stages: [
      { refId: '1', type: 'wait', name: 'Wait', requisiteStageRefIds: [], config: { waitTime: 5 } },
      { refId: '2', type: 'manualJudgment', name: 'Approve', requisiteStageRefIds: ['1'], config: { judgmentInputs: [{ value: 'ship it' }] } },
    ],
    triggers: [],
    parameters: [],
    notifications: [],
    limitConcurrent: true,
    maxConcurrentExecutions: 0,
    keepWaitingPipelines: false,
    disabled: false,
  };
}

/** A saved pipeline as an editable definition (no __typename, no server-only fields). */
export function toEditable(p: PipelineDefinitionFragment): EditableDefinition {
  return {
    name: p.name,
    description: p.description,
    stages: p.stages.map((s) => ({ refId: s.refId, type: s.type, name: s.name, requisiteStageRefIds: s.requisiteStageRefIds, config: s.config })),
    triggers: p.triggers.map((t) => ({ type: t.type, enabled: t.enabled, config: t.config })),
    parameters: p.parameters.map((x) => ({ name: x.name, label: x.label, description: x.description, default: x.default, required: x.required, options: x.options })),
    notifications: p.notifications.map((n) => ({ type: n.type, address: n.address, when: n.when, config: n.config })),
    limitConcurrent: p.limitConcurrent,
    maxConcurrentExecutions: p.maxConcurrentExecutions,
    keepWaitingPipelines: p.keepWaitingPipelines,
    disabled: p.disabled,
  };
}

/** What the text says: a definition, or why it cannot be read (before any server check). */
export type Parsed = { ok: true; definition: EditableDefinition } | { ok: false; message: string };

/**
 * Reads the editor's text, JSON or YAML. Only the shape needed to draw the graph is checked
 * here (an object with a list of stages); everything else is the server's to validate, at its
 * paths. Both formats give the same definition for the same content.
 */
export function parseDefinition(text: string, format: Format): Parsed {
  const read = readText(text, format);
  if (!read.ok) return read;
  const value = read.value;
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    return { ok: false, message: format === 'json' ? 'The definition must be a JSON object.' : 'The definition must be a YAML mapping (key: value lines).' };
  }
  const stages = (value as Record<string, unknown>).stages;
  if (!Array.isArray(stages)) return { ok: false, message: 'The definition needs "stages": a list.' };
  return { ok: true, definition: value as EditableDefinition };
}

/** The stages of a definition as the graph draws them, skipping entries without a refId. */
export function graphStages(d: EditableDefinition): { refId: string; name: string; type: string; requisiteStageRefIds: string[] }[] {
  return d.stages
    .filter((s) => typeof s === 'object' && s !== null && typeof s.refId === 'string')
    .map((s) => ({
      refId: s.refId,
      name: typeof s.name === 'string' && s.name ? s.name : s.refId,
      type: typeof s.type === 'string' ? s.type : '?',
      requisiteStageRefIds: Array.isArray(s.requisiteStageRefIds) ? s.requisiteStageRefIds.filter((r): r is string => typeof r === 'string') : [],
    }));
}
