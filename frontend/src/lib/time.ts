/** Milliseconds between two RFC 3339 times; an open end counts up to now. Null if not started. */
export function durationMs(startedAt: string | null | undefined, endedAt: string | null | undefined, now: number): number | null {
  if (!startedAt) return null;
  const start = Date.parse(startedAt);
  const end = endedAt ? Date.parse(endedAt) : now;
  if (Number.isNaN(start) || Number.isNaN(end)) return null;
  return Math.max(0, end - start);
}

/** "850ms", "42s", "3m 05s", "2h 14m", "3d 4h". */
export function formatDuration(ms: number | null): string {
  if (ms === null) return '–';
  if (ms < 1000) return `${Math.round(ms)}ms`;
  const s = Math.floor(ms / 1000);
  if (s < 60) return `${s}s`;
  const m = Math.floor(s / 60);
  if (m < 60) return `${m}m ${String(s % 60).padStart(2, '0')}s`;
  const h = Math.floor(m / 60);
  if (h < 24) return `${h}h ${String(m % 60).padStart(2, '0')}m`;
  return `${Math.floor(h / 24)}d ${h % 24}h`;
}

/** How long ago, in words: "5m ago". */
export function formatAge(time: string | null | undefined, now: number): string {
  const ms = durationMs(time, null, now);
  return ms === null ? '–' : `${formatDuration(ms)} ago`;
}

/** A local, readable timestamp. */
export function formatTime(time: string | null | undefined): string {
  if (!time) return '–';
  const d = new Date(time);
  return Number.isNaN(d.getTime()) ? time : d.toLocaleString();
}
