/** What the layout needs from a stage, in an execution or a pipeline definition. */
export interface DagStage {
  refId: string;
  requisiteStageRefIds: readonly string[];
}

export interface DagNode {
  /** The stage's refId. */
  id: string;
  /** Column: the longest chain of requisites before it. */
  layer: number;
  /** Row within its column. */
  order: number;
  x: number;
  y: number;
}

export interface DagEdge {
  id: string;
  source: string;
  target: string;
}

export interface DagLayout {
  nodes: DagNode[];
  edges: DagEdge[];
}

export const NODE_WIDTH = 180;
export const NODE_HEIGHT = 56;
const GAP_X = 70;
const GAP_Y = 28;

/**
 * Lays a stage DAG out left to right in layers: a stage sits one column after its latest
 * requisite; within a column stages are ordered by the mean row of their requisites (then
 * by definition order), which keeps edges mostly straight. Requisites that name no stage
 * are ignored; a cycle (which the server refuses anyway) is broken where it is found so
 * that an invalid definition in the editor still draws.
 */
export function layoutDag(stages: readonly DagStage[]): DagLayout {
  const byRef = new Map(stages.map((s) => [s.refId, s]));
  const layer = new Map<string, number>();
  const visiting = new Set<string>();

  const layerOf = (refId: string): number => {
    const known = layer.get(refId);
    if (known !== undefined) return known;
    if (visiting.has(refId)) return 0; // a cycle: break it here
    visiting.add(refId);
    const stage = byRef.get(refId);
    let l = 0;
    for (const req of stage?.requisiteStageRefIds ?? []) {
      if (byRef.has(req) && req !== refId) l = Math.max(l, layerOf(req) + 1);
    }
    visiting.delete(refId);
    layer.set(refId, l);
    return l;
  };
  stages.forEach((s) => layerOf(s.refId));

  const columns: string[][] = [];
  stages.forEach((s) => {
    const l = layer.get(s.refId) ?? 0;
    (columns[l] ??= []).push(s.refId);
  });

  const order = new Map<string, number>();
  const index = new Map(stages.map((s, i) => [s.refId, i]));
  columns.forEach((col) => {
    const key = (refId: string): number => {
      const parents = (byRef.get(refId)?.requisiteStageRefIds ?? []).filter((r) => order.has(r));
      if (parents.length === 0) return index.get(refId) ?? 0;
      return parents.reduce((sum, r) => sum + (order.get(r) ?? 0), 0) / parents.length;
    };
    col.sort((a, b) => key(a) - key(b) || (index.get(a) ?? 0) - (index.get(b) ?? 0));
    col.forEach((refId, i) => order.set(refId, i));
  });

  const tallest = Math.max(1, ...columns.map((c) => c?.length ?? 0));
  const nodes: DagNode[] = stages.map((s) => {
    const l = layer.get(s.refId) ?? 0;
    const o = order.get(s.refId) ?? 0;
    const height = columns[l]?.length ?? 1;
    const offset = ((tallest - height) * (NODE_HEIGHT + GAP_Y)) / 2;
    return { id: s.refId, layer: l, order: o, x: l * (NODE_WIDTH + GAP_X), y: offset + o * (NODE_HEIGHT + GAP_Y) };
  });

  const edges: DagEdge[] = [];
  stages.forEach((s) => {
    for (const req of s.requisiteStageRefIds) {
      if (byRef.has(req) && req !== s.refId) edges.push({ id: `${req}->${s.refId}`, source: req, target: s.refId });
    }
  });
  return { nodes, edges };
}

/** The refIds of every stage downstream of refId (not itself), in definition order. */
export function downstreamOf(stages: readonly DagStage[], refId: string): string[] {
  const found = new Set<string>();
  let frontier = [refId];
  while (frontier.length > 0) {
    const next: string[] = [];
    for (const s of stages) {
      if (!found.has(s.refId) && s.refId !== refId && s.requisiteStageRefIds.some((r) => frontier.includes(r))) {
        found.add(s.refId);
        next.push(s.refId);
      }
    }
    frontier = next;
  }
  return stages.filter((s) => found.has(s.refId)).map((s) => s.refId);
}
