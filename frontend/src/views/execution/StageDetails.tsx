import { useState } from 'react';
import { useMutation } from 'urql';
import { ConfirmDialog } from '../../components/ConfirmDialog';
import { ErrorMessage } from '../../components/ErrorMessage';
import { StatusBadge } from '../../components/StatusBadge';
import type { StageDetailFragment } from '../../gql/graphql';
import { downstreamOf } from '../../lib/dag';
import { durationMs, formatDuration, formatTime } from '../../lib/time';
import { canRestart, canSkip } from './judgment';
import { RestartStageMutation, SkipStageMutation } from './queries';

function Json({ value, label }: { value: unknown; label: string }) {
  const empty = value === null || value === undefined || (typeof value === 'object' && Object.keys(value as object).length === 0);
  return (
    <details open={!empty}>
      <summary>{label}</summary>
      {empty ? <p className="muted small">empty</p> : <pre className="json" tabIndex={0} aria-label={label}>{JSON.stringify(value, null, 2)}</pre>}
    </details>
  );
}

/** The selected stage: timings, error, tasks, context and outputs; restart and skip. */
export function StageDetails({ stage, stages, now }: { stage: StageDetailFragment; stages: readonly StageDetailFragment[]; now: number }) {
  const [confirm, setConfirm] = useState<'restart' | 'skip' | null>(null);
  const [restartState, restart] = useMutation(RestartStageMutation);
  const [skipState, skip] = useMutation(SkipStageMutation);
  const downstream = downstreamOf(stages, stage.refId).map((r) => stages.find((s) => s.refId === r)?.name ?? r);
  const error = restartState.error ?? skipState.error ?? null;

  const run = async () => {
    const r = confirm === 'restart' ? await restart({ input: { id: stage.id } }) : await skip({ input: { id: stage.id } });
    if (!r.error) setConfirm(null);
  };

  return (
    <section className="card stage-details" aria-label={`Stage ${stage.name}`}>
      <header className="row">
        <h3>
          {stage.name} <span className="muted small">({stage.type})</span>
        </h3>
        <StatusBadge status={stage.status} />
      </header>
      <dl className="facts">
        <dt>Started</dt>
        <dd>{formatTime(stage.startedAt)}</dd>
        <dt>Ended</dt>
        <dd>{formatTime(stage.endedAt)}</dd>
        <dt>Duration</dt>
        <dd>{formatDuration(durationMs(stage.startedAt, stage.endedAt, now))}</dd>
      </dl>
      {stage.error && (
        <p className="error" role="alert">
          {stage.error}
        </p>
      )}
      <div className="actions">
        {canRestart(stage) && (
          <button type="button" onClick={() => setConfirm('restart')}>
            Restart stage
          </button>
        )}
        {canSkip(stage) && (
          <button type="button" onClick={() => setConfirm('skip')}>
            Skip stage
          </button>
        )}
      </div>
      {!confirm && <ErrorMessage error={error} />}
      {stage.tasks.length > 0 && (
        <table className="table tasks" aria-label="Tasks">
          <thead>
            <tr>
              <th scope="col">Task</th>
              <th scope="col">Status</th>
              <th scope="col">Duration</th>
              <th scope="col">Attempts</th>
            </tr>
          </thead>
          <tbody>
            {stage.tasks.map((t) => (
              <tr key={t.id}>
                <td>
                  {t.name}
                  {t.error && <div className="error-inline">{t.error}</div>}
                </td>
                <td>
                  <StatusBadge status={t.status} />
                </td>
                <td>{formatDuration(durationMs(t.startedAt, t.endedAt, now))}</td>
                <td>{t.attempts}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <Json value={stage.context} label="Context" />
      <Json value={stage.outputs} label="Outputs" />
      {confirm === 'restart' && (
        <ConfirmDialog title={`Restart ${stage.name}`} confirmLabel="Restart" busy={restartState.fetching} error={restartState.error} onConfirm={run} onCancel={() => setConfirm(null)}>
          <p>
            {stage.name} will run again{downstream.length > 0 ? `, and so will every stage after it: ${downstream.join(', ')}` : ''}.
          </p>
        </ConfirmDialog>
      )}
      {confirm === 'skip' && (
        <ConfirmDialog title={`Skip ${stage.name}`} confirmLabel="Skip" danger busy={skipState.fetching} error={skipState.error} onConfirm={run} onCancel={() => setConfirm(null)}>
          <p>{stage.name} will end as skipped and the pipeline goes on with the stages after it as if it had succeeded.</p>
        </ConfirmDialog>
      )}
    </section>
  );
}
