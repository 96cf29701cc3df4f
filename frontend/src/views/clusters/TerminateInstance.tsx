import { useState } from 'react';
import { useMutation, type CombinedError } from 'urql';
import { ConfirmDialog } from '../../components/ConfirmDialog';
import type { OperationResultFragment, ServerGroupCardFragment } from '../../gql/graphql';
import { OperationOutcome } from './OperationOutcome';
import { TerminateInstancesMutation } from './queries';

/**
 * Asks before terminating instanceId (while it is set), then calls terminateInstances and
 * shows what it started.
 */
export function TerminateInstance({ sg, instanceId, onClose }: { sg: ServerGroupCardFragment; instanceId: string | null; onClose: () => void }) {
  const [state, terminate] = useMutation(TerminateInstancesMutation);
  const [error, setError] = useState<CombinedError | null>(null);
  const [outcome, setOutcome] = useState<OperationResultFragment | null>(null);
  const close = () => {
    setError(null);
    onClose();
  };
  const confirm = async (reason: string) => {
    if (!instanceId) return;
    const r = await terminate({ input: { id: sg.id, instanceIds: [instanceId], reason } });
    if (r.error) return setError(r.error);
    if (r.data) setOutcome(r.data.terminateInstances);
    close();
  };
  return (
    <>
      {outcome && <OperationOutcome what={`Terminating an instance of ${sg.name}`} result={outcome} />}
      {instanceId && (
        <ConfirmDialog title={`Terminate ${instanceId}`} confirmLabel={`Terminate ${instanceId}`} danger busy={state.fetching} error={error} withReason onConfirm={confirm} onCancel={close}>
          <p>
            Terminate {instanceId} of {sg.name} in {sg.account} / {sg.region}; the server group starts a replacement to stay at its desired capacity of {sg.capacity.desired}.
          </p>
        </ConfirmDialog>
      )}
    </>
  );
}
