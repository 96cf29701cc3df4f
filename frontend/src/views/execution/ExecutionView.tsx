import { useCallback, useMemo, useState } from 'react';
import { Link, useParams } from 'react-router';
import { useSubscription } from 'urql';
import { useLiveQuery } from '../../api/useLiveQuery';
import { DagGraph, type GraphStage } from '../../components/DagGraph';
import { ErrorMessage } from '../../components/ErrorMessage';
import { StatusBadge } from '../../components/StatusBadge';
import { durationMs, formatDuration, formatTime } from '../../lib/time';
import { useNow } from '../../lib/useNow';
import { ExecutionControls } from './ExecutionControls';
import { awaitsJudgment } from './judgment';
import { JudgmentPanel } from './JudgmentPanel';
import { NotificationsPanel } from './NotificationsPanel';
import { ExecutionLiveSubscription, ExecutionQuery } from './queries';
import { StageDetails } from './StageDetails';

/** One execution: its stage graph live, the selected stage, judgments and controls. */
export function ExecutionView() {
  const { id = '' } = useParams();
  const [{ data, error, fetching }] = useLiveQuery({ query: ExecutionQuery, variables: { id } });
  const [sub] = useSubscription({ query: ExecutionLiveSubscription, variables: { id } });
  const now = useNow(1000);
  const [picked, setPicked] = useState<string | null>(null);
  const onSelect = useCallback((refId: string) => setPicked(refId), []);
  const execution = data?.execution;
  const stages = useMemo(() => execution?.stages ?? [], [execution]);
  const judging = stages.filter(awaitsJudgment);
  // Until a stage is picked, show the one that needs a person, else the running one, else the first.
  const selectedRef = picked ?? judging[0]?.refId ?? stages.find((s) => s.status === 'RUNNING')?.refId ?? stages[0]?.refId ?? null;
  const selected = stages.find((s) => s.refId === selectedRef) ?? null;
  const graph: GraphStage[] = useMemo(
    () => stages.map((s) => ({ refId: s.refId, name: s.name, type: s.type, requisiteStageRefIds: s.requisiteStageRefIds, status: s.status, caption: s.startedAt ? formatDuration(durationMs(s.startedAt, s.endedAt, now)) : undefined })),
    [stages, now],
  );

  return (
    <div className="page">
      <ErrorMessage error={error} title="The execution could not be loaded" />
      <ErrorMessage error={sub.error} title="Live updates of this execution stopped" />
      {fetching && !data && <p className="muted">Loading the execution…</p>}
      {data && !execution && <p role="alert">This execution does not exist (any more).</p>}
      {execution && (
        <>
          <nav className="crumbs" aria-label="Breadcrumb">
            <Link to={`/applications/${encodeURIComponent(execution.application.name)}/pipelines`}>{execution.application.name}</Link>
            {' / '}
            <span>{execution.pipeline?.name ?? (execution.type === 'ORCHESTRATION' ? 'operations' : 'deleted pipeline')}</span>
          </nav>
          <div className="page-head">
            <h1>
              {execution.name} <StatusBadge status={execution.status} />
            </h1>
            <ExecutionControls execution={execution} />
          </div>
          <dl className="facts facts-inline">
            <dt>Started by</dt>
            <dd>{execution.triggeredBy || execution.trigger.user || '–'} ({execution.trigger.type})</dd>
            {execution.reason && (
              <>
                <dt>Reason</dt>
                <dd>{execution.reason}</dd>
              </>
            )}
            <dt>Started</dt>
            <dd>{formatTime(execution.startedAt ?? execution.createdAt)}</dd>
            <dt>Duration</dt>
            <dd>{formatDuration(durationMs(execution.startedAt, execution.endedAt, now))}</dd>
            {execution.canceled && (
              <>
                <dt>Canceled</dt>
                <dd>
                  by {execution.canceledBy ?? 'someone'}
                  {execution.cancelReason ? `: ${execution.cancelReason}` : ''}
                </dd>
              </>
            )}
          </dl>
          {judging.map((s) => (
            <JudgmentPanel key={s.id} stage={s} />
          ))}
          <div className="execution-body">
            <DagGraph stages={graph} selected={selectedRef} onSelect={onSelect} label={`Stages of ${execution.name}`} />
            {selected && <StageDetails stage={selected} stages={stages} now={now} />}
          </div>
          <NotificationsPanel id={execution.id} version={execution.version} />
        </>
      )}
    </div>
  );
}
