import type { ExecutionStatus } from '../gql/graphql';
import { durationMs } from './time';
import { statusStyle } from './status';

/** What a stage bar needs from a stage. */
export interface BarStage {
  refId: string;
  name: string;
  status: ExecutionStatus;
  startedAt: string | null;
  endedAt: string | null;
}

/** One bar in an execution's row: a share of the row's width. */
export interface StageBar {
  refId: string;
  name: string;
  status: ExecutionStatus;
  color: string;
  /** Percent of the row, summing to 100 over the row. */
  widthPct: number;
  durationMs: number | null;
}

/** The narrowest a bar gets, so that a stage that took no time (or has not run) stays visible. */
export const MIN_BAR_PCT = 4;

/**
 * Lays out an execution's stages as bars in the order they ran (those not started last, in
 * definition order), each as wide as its share of the summed durations, at least
 * MIN_BAR_PCT, and rescaled so that the row sums to 100. With no durations at all every
 * bar gets the same width.
 */
export function layoutStageBars(stages: readonly BarStage[], now: number): StageBar[] {
  if (stages.length === 0) return [];
  const ordered = stages
    .map((s, i) => ({ s, i, start: s.startedAt ? Date.parse(s.startedAt) : Number.POSITIVE_INFINITY }))
    .sort((a, b) => a.start - b.start || a.i - b.i)
    .map(({ s }) => s);
  const durations = ordered.map((s) => durationMs(s.startedAt, s.endedAt, now));
  const total = durations.reduce<number>((sum, d) => sum + (d ?? 0), 0);
  const raw = durations.map((d) => (total > 0 ? Math.max(MIN_BAR_PCT, ((d ?? 0) / total) * 100) : 100 / ordered.length));
  const scale = 100 / raw.reduce((a, b) => a + b, 0);
  return ordered.map((s, i) => ({
    refId: s.refId,
    name: s.name,
    status: s.status,
    color: statusStyle(s.status).color,
    widthPct: raw[i] * scale,
    durationMs: durations[i],
  }));
}
