import { useState } from 'react';
import { useMutation } from 'urql';
import { ConfirmDialog } from '../../components/ConfirmDialog';
import type { OperationResultFragment, ServerGroupCardFragment } from '../../gql/graphql';
import { OperationOutcome } from './OperationOutcome';
import { RollbackClusterMutation } from './queries';

/** Rolls a cluster back in one region to its previous server group, after saying which. */
export function RollbackButton({ clusterId, clusterName, region, serverGroups }: { clusterId: string; clusterName: string; region: string; serverGroups: readonly ServerGroupCardFragment[] }) {
  const [open, setOpen] = useState(false);
  const [state, rollback] = useMutation(RollbackClusterMutation);
  const [outcome, setOutcome] = useState<OperationResultFragment | null>(null);
  if (serverGroups.length < 2) return null;
  const [current, previous] = serverGroups;
  const confirm = async (reason: string) => {
    const r = await rollback({ input: { id: clusterId, region, reason } });
    if (r.data) {
      setOutcome(r.data.rollbackCluster);
      setOpen(false);
    }
  };
  return (
    <>
      <button type="button" onClick={() => setOpen(true)} aria-label={`Roll back ${clusterName} in ${region}`}>
        Roll back
      </button>
      {outcome && <OperationOutcome what={`Rollback of ${clusterName}`} result={outcome} />}
      {open && (
        <ConfirmDialog title={`Roll back ${clusterName} in ${region}`} confirmLabel="Roll back" danger busy={state.fetching} error={state.error} withReason onConfirm={confirm} onCancel={() => setOpen(false)}>
          <p>
            The previous server group, {previous.name} (version {previous.artifact.version || 'unknown'}), will be enabled; once it is healthy, {current.name} (version{' '}
            {current.artifact.version || 'unknown'}) will be disabled. Nothing is destroyed.
          </p>
        </ConfirmDialog>
      )}
    </>
  );
}
