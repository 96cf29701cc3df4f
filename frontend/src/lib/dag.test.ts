import { describe, expect, it } from 'vitest';
import { downstreamOf, layoutDag } from './dag';

const s = (refId: string, ...reqs: string[]) => ({ refId, requisiteStageRefIds: reqs });

describe('layoutDag', () => {
  it('puts each stage one layer after its latest requisite', () => {
    // 1 → 2 → 4, 1 → 3 → 4, 4 → 5, and 5 also needs 1 directly
    const { nodes, edges } = layoutDag([s('1'), s('2', '1'), s('3', '1'), s('4', '2', '3'), s('5', '4', '1')]);
    const layer = Object.fromEntries(nodes.map((n) => [n.id, n.layer]));
    expect(layer).toEqual({ '1': 0, '2': 1, '3': 1, '4': 2, '5': 3 });
    expect(edges.map((e) => e.id).sort()).toEqual(['1->2', '1->3', '1->5', '2->4', '3->4', '4->5']);
  });

  it('places parallel stages in distinct rows and later layers to the right', () => {
    const { nodes } = layoutDag([s('a'), s('b', 'a'), s('c', 'a')]);
    const [a, b, c] = nodes;
    expect(b.x).toBeGreaterThan(a.x);
    expect(b.x).toBe(c.x);
    expect(b.y).not.toBe(c.y);
    expect([b.order, c.order].sort()).toEqual([0, 1]);
  });

  it('ignores requisites that name no stage and survives a cycle', () => {
    const { nodes, edges } = layoutDag([s('1', 'ghost'), s('2', '3'), s('3', '2')]);
    expect(nodes).toHaveLength(3);
    expect(edges.find((e) => e.source === 'ghost')).toBeUndefined();
    nodes.forEach((n) => expect(Number.isFinite(n.x) && Number.isFinite(n.y)).toBe(true));
  });

  it('keeps a child in the row of its parent', () => {
    const { nodes } = layoutDag([s('top'), s('bottom'), s('after-bottom', 'bottom'), s('after-top', 'top')]);
    const by = Object.fromEntries(nodes.map((n) => [n.id, n]));
    expect(by['after-top'].order).toBe(by.top.order);
    expect(by['after-bottom'].order).toBe(by.bottom.order);
  });
});

describe('downstreamOf', () => {
  it('lists every stage after a stage, transitively, in definition order', () => {
    const stages = [s('1'), s('2', '1'), s('3', '2'), s('4'), s('5', '3', '4')];
    expect(downstreamOf(stages, '2')).toEqual(['3', '5']);
    expect(downstreamOf(stages, '4')).toEqual(['5']);
    expect(downstreamOf(stages, '5')).toEqual([]);
  });
});
