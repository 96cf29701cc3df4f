import { describe, expect, it } from 'vitest';
import { layoutStageBars, MIN_BAR_PCT } from './stageBars';
import { statusStyle } from './status';
import { stage } from '../test/fixtures';

const t = (s: number) => new Date(Date.UTC(2025, 0, 1, 10, 0, s)).toISOString();
const now = Date.parse(t(100));
const sum = (xs: { widthPct: number }[]) => xs.reduce((a, b) => a + b.widthPct, 0);

describe('layoutStageBars', () => {
  it('gives each stage its share of the summed durations', () => {
    const bars = layoutStageBars([stage('1', 'SUCCEEDED', t(0), t(30)), stage('2', 'SUCCEEDED', t(30), t(90)), stage('3', 'SUCCEEDED', t(90), t(100))], now);
    expect(bars.map((b) => b.refId)).toEqual(['1', '2', '3']);
    expect(bars.map((b) => Math.round(b.widthPct))).toEqual([30, 60, 10]);
    expect(sum(bars)).toBeCloseTo(100);
    expect(bars.map((b) => b.durationMs)).toEqual([30_000, 60_000, 10_000]);
  });

  it('counts a running stage up to now and keeps unstarted stages visible, last', () => {
    const bars = layoutStageBars([stage('later', 'NOT_STARTED', null, null), stage('run', 'RUNNING', t(50), null)], now);
    expect(bars.map((b) => b.refId)).toEqual(['run', 'later']);
    expect(bars[0].durationMs).toBe(50_000);
    expect(bars[1].durationMs).toBeNull();
    expect(bars[1].widthPct).toBeGreaterThan(MIN_BAR_PCT - 0.5);
    expect(sum(bars)).toBeCloseTo(100);
  });

  it('orders by start time, not definition order', () => {
    const bars = layoutStageBars([stage('b', 'SUCCEEDED', t(10), t(20)), stage('a', 'SUCCEEDED', t(0), t(10))], now);
    expect(bars.map((b) => b.refId)).toEqual(['a', 'b']);
  });

  it('splits evenly when nothing has a duration', () => {
    const bars = layoutStageBars([stage('1', 'NOT_STARTED', null, null), stage('2', 'NOT_STARTED', null, null)], now);
    expect(bars.map((b) => b.widthPct)).toEqual([50, 50]);
  });

  it('colours each bar by its status', () => {
    const bars = layoutStageBars([stage('ok', 'SUCCEEDED', t(0), t(1)), stage('bad', 'TERMINAL', t(1), t(2)), stage('run', 'RUNNING', t(2), null)], now);
    expect(bars.map((b) => b.color)).toEqual([statusStyle('SUCCEEDED').color, statusStyle('TERMINAL').color, statusStyle('RUNNING').color]);
  });

  it('draws nothing for no stages', () => {
    expect(layoutStageBars([], now)).toEqual([]);
  });
});
