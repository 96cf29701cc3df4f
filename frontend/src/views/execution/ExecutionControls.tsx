import { useState } from 'react';
import { useMutation } from 'urql';
import { ConfirmDialog } from '../../components/ConfirmDialog';
import { ErrorMessage } from '../../components/ErrorMessage';
import type { ExecutionDetailFragment } from '../../gql/graphql';
import { CancelExecutionMutation, PauseExecutionMutation, ResumeExecutionMutation } from './queries';

const CANCELABLE = new Set(['RUNNING', 'PAUSED', 'SUSPENDED', 'BUFFERED', 'NOT_STARTED']);

/** Cancel (after asking), pause and resume an execution. */
export function ExecutionControls({ execution }: { execution: ExecutionDetailFragment }) {
  const [asking, setAsking] = useState(false);
  const [cancelState, cancel] = useMutation(CancelExecutionMutation);
  const [pauseState, pause] = useMutation(PauseExecutionMutation);
  const [resumeState, resume] = useMutation(ResumeExecutionMutation);
  const id = execution.id;
  return (
    <div className="execution-controls">
      <div className="actions" role="group" aria-label="Execution controls">
        {execution.status === 'RUNNING' && (
          <button type="button" disabled={pauseState.fetching} onClick={() => pause({ input: { id } })}>
            Pause
          </button>
        )}
        {execution.status === 'PAUSED' && (
          <button type="button" disabled={resumeState.fetching} onClick={() => resume({ input: { id } })}>
            Resume
          </button>
        )}
        {CANCELABLE.has(execution.status) && (
          <button type="button" className="danger" onClick={() => setAsking(true)}>
            Cancel execution
          </button>
        )}
      </div>
      <ErrorMessage error={pauseState.error ?? resumeState.error} />
      {asking && (
        <ConfirmDialog
          title={`Cancel ${execution.name}`}
          confirmLabel="Cancel execution"
          danger
          withReason
          busy={cancelState.fetching}
          error={cancelState.error}
          onCancel={() => setAsking(false)}
          onConfirm={async (reason) => {
            const r = await cancel({ input: { id, reason } });
            if (!r.error) setAsking(false);
          }}
        >
          <p>Its running tasks are cancelled and no further stage starts. What it already deployed stays as it is.</p>
        </ConfirmDialog>
      )}
    </div>
  );
}
