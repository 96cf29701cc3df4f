import type { StageDetailFragment } from '../../gql/graphql';

/** The choices a manual judgment offers: its context's judgmentInputs, each {value}. */
export function judgmentChoices(context: unknown): string[] {
  if (typeof context !== 'object' || context === null) return [];
  const inputs = (context as Record<string, unknown>).judgmentInputs;
  if (!Array.isArray(inputs)) return [];
  return inputs
    .map((i) => (typeof i === 'string' ? i : typeof i === 'object' && i !== null ? (i as Record<string, unknown>).value : undefined))
    .filter((v): v is string => typeof v === 'string' && v !== '');
}

/** The instructions a manual judgment shows, if its context has them. */
export function judgmentInstructions(context: unknown): string | null {
  if (typeof context !== 'object' || context === null) return null;
  const v = (context as Record<string, unknown>).instructions;
  return typeof v === 'string' && v.trim() !== '' ? v : null;
}

/** Whether a stage is a manual judgment waiting for an answer. */
export function awaitsJudgment(stage: Pick<StageDetailFragment, 'type' | 'status'>): boolean {
  return stage.type === 'manualJudgment' && stage.status === 'RUNNING';
}

const FINISHED = new Set(['SUCCEEDED', 'FAILED_CONTINUE', 'TERMINAL', 'CANCELED', 'STOPPED', 'SKIPPED']);

/** Whether restartStage applies: the stage has finished. */
export function canRestart(stage: Pick<StageDetailFragment, 'status'>): boolean {
  return FINISHED.has(stage.status);
}

/** Whether skipStage applies: a running wait or manual judgment. */
export function canSkip(stage: Pick<StageDetailFragment, 'type' | 'status'>): boolean {
  return stage.status === 'RUNNING' && (stage.type === 'wait' || stage.type === 'manualJudgment');
}
