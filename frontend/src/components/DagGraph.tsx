import { useEffect, useMemo } from 'react';
import { Background, Controls, Handle, Position, ReactFlow, useNodesInitialized, useReactFlow, useStore, type Edge, type Node, type NodeProps } from '@xyflow/react';
import '@xyflow/react/dist/style.css';
import type { ExecutionStatus } from '../gql/graphql';
import { layoutDag, NODE_HEIGHT, NODE_WIDTH } from '../lib/dag';
import { statusStyle } from '../lib/status';

/** A stage as the graph draws it: a definition (no status) or an execution's stage. */
export interface GraphStage {
  refId: string;
  name: string;
  type: string;
  requisiteStageRefIds: readonly string[];
  status?: ExecutionStatus;
  /** A short line under the name, such as a duration. */
  caption?: string;
  /** Marks a stage that has problems (editor). */
  invalid?: boolean;
}

type StageNodeData = { stage: GraphStage; selected: boolean; onSelect?: (refId: string) => void };
type StageNode = Node<StageNodeData, 'stage'>;

function StageNodeView({ data }: NodeProps<StageNode>) {
  const { stage, selected, onSelect } = data;
  const color = stage.status ? statusStyle(stage.status).color : '#5a6478';
  const label = `${stage.name} (${stage.type})${stage.status ? `, ${statusStyle(stage.status).label}` : ''}${stage.caption ? `, ${stage.caption}` : ''}`;
  return (
    <>
      <Handle type="target" position={Position.Left} isConnectable={false} />
      <button
        type="button"
        className={`dag-node${selected ? ' dag-node-selected' : ''}${stage.invalid ? ' dag-node-invalid' : ''}`}
        style={{ borderLeftColor: color, width: NODE_WIDTH, height: NODE_HEIGHT }}
        aria-label={label}
        aria-pressed={selected}
        onClick={() => onSelect?.(stage.refId)}
        data-status={stage.status}
      >
        <span className="dag-node-name">{stage.name}</span>
        <span className="dag-node-meta">
          {stage.status ? statusStyle(stage.status).label : stage.type}
          {stage.caption ? ` · ${stage.caption}` : ''}
        </span>
      </button>
      <Handle type="source" position={Position.Right} isConnectable={false} />
    </>
  );
}

const nodeTypes = { stage: StageNodeView };

/**
 * Fits the graph into view when its shape or its box changes (a stage added, the window
 * narrowed, a panel pushed it around), but not on every status change, so that a person's
 * own zoom survives live updates.
 */
function FitOnChange({ shape }: { shape: string }) {
  const { fitView } = useReactFlow();
  const measured = useNodesInitialized();
  const width = useStore((s) => s.width);
  const height = useStore((s) => s.height);
  useEffect(() => {
    if (measured && width > 0 && height > 0) void fitView({ padding: 0.15 });
  }, [measured, shape, width, height, fitView]);
  return null;
}

/** The stage DAG, laid out left to right; clicking (or Enter on) a stage selects it. */
export function DagGraph({ stages, selected, onSelect, label }: { stages: readonly GraphStage[]; selected?: string | null; onSelect?: (refId: string) => void; label: string }) {
  const { nodes, edges } = useMemo(() => {
    const layout = layoutDag(stages);
    const byRef = new Map(stages.map((s) => [s.refId, s]));
    const nodes: StageNode[] = layout.nodes.map((n) => ({
      id: n.id,
      type: 'stage',
      position: { x: n.x, y: n.y },
      // The size is known (the node's button is drawn at it): given, React Flow shows and
      // fits the node at once instead of keeping it hidden until a ResizeObserver measures
      // it, which under load could come late or, with the nodes replaced every second for
      // the durations, not at all.
      width: NODE_WIDTH,
      height: NODE_HEIGHT,
      data: { stage: byRef.get(n.id)!, selected: n.id === selected, onSelect },
      draggable: false,
      selectable: false,
    }));
    const edges: Edge[] = layout.edges.map((e) => ({
      ...e,
      animated: byRef.get(e.target)?.status === 'RUNNING',
    }));
    return { nodes, edges };
  }, [stages, selected, onSelect]);
  const shape = stages.map((s) => `${s.refId}<${s.requisiteStageRefIds.join(',')}`).join(';');
  return (
    <div className="dag" role="group" aria-label={label}>
      {stages.length === 0 ? (
        <p className="muted">No stages.</p>
      ) : (
        <ReactFlow nodes={nodes} edges={edges} nodeTypes={nodeTypes} fitView nodesConnectable={false} nodesDraggable={false} nodesFocusable={false} edgesFocusable={false} elementsSelectable={false} proOptions={{ hideAttribution: true }} minZoom={0.2}>
          <FitOnChange shape={shape} />
          <Background />
          <Controls showInteractive={false} />
        </ReactFlow>
      )}
    </div>
  );
}
