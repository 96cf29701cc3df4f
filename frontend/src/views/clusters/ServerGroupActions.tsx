import { useState } from 'react';
import { useMutation, type CombinedError } from 'urql';
import { ConfirmDialog } from '../../components/ConfirmDialog';
import type { OperationResultFragment, ServerGroupCardFragment } from '../../gql/graphql';
import { validateCapacity } from './grouping';
import { OperationOutcome } from './OperationOutcome';
import { DestroyServerGroupMutation, DisableServerGroupMutation, EnableServerGroupMutation, ResizeServerGroupMutation } from './queries';

type Action = 'resize' | 'enable' | 'disable' | 'destroy';

const lbWords = (sg: ServerGroupCardFragment) => (sg.loadBalancers.length ? sg.loadBalancers.join(', ') : 'its load balancers');

/** Resize, enable, disable and destroy, each after a dialog that says what will happen. */
export function ServerGroupActions({ sg }: { sg: ServerGroupCardFragment }) {
  const [open, setOpen] = useState<Action | null>(null);
  const [cap, setCap] = useState({ min: '', desired: '', max: '' });
  const [outcome, setOutcome] = useState<{ what: string; result: OperationResultFragment } | null>(null);
  const [error, setError] = useState<CombinedError | null>(null);
  const [resizeState, resize] = useMutation(ResizeServerGroupMutation);
  const [enableState, enable] = useMutation(EnableServerGroupMutation);
  const [disableState, disable] = useMutation(DisableServerGroupMutation);
  const [destroyState, destroy] = useMutation(DestroyServerGroupMutation);
  const busy = resizeState.fetching || enableState.fetching || disableState.fetching || destroyState.fetching;

  const start = (a: Action) => {
    setError(null);
    setOutcome(null);
    if (a === 'resize') setCap({ min: String(sg.capacity.min), desired: String(sg.capacity.desired), max: String(sg.capacity.max) });
    setOpen(a);
  };
  const finish = (what: string, r: { error?: CombinedError; data?: OperationResultFragment | null }) => {
    if (r.error) return setError(r.error);
    if (r.data) setOutcome({ what, result: r.data });
    setOpen(null);
  };
  const capError = open === 'resize' ? validateCapacity(cap) : null;

  const confirm = async (reason: string) => {
    const id = sg.id;
    switch (open) {
      case 'resize': {
        if (capError) return;
        const r = await resize({ input: { id, reason, capacity: { min: Number(cap.min), desired: Number(cap.desired), max: Number(cap.max) } } });
        return finish(`Resize of ${sg.name}`, { error: r.error, data: r.data?.resizeServerGroup });
      }
      case 'enable': {
        const r = await enable({ input: { id, reason } });
        return finish(`Enabling ${sg.name}`, { error: r.error, data: r.data?.enableServerGroup });
      }
      case 'disable': {
        const r = await disable({ input: { id, reason } });
        return finish(`Disabling ${sg.name}`, { error: r.error, data: r.data?.disableServerGroup });
      }
      case 'destroy': {
        const r = await destroy({ input: { id, reason } });
        return finish(`Destroying ${sg.name}`, { error: r.error, data: r.data?.destroyServerGroup });
      }
    }
  };

  const where = `${sg.account} / ${sg.region}`;
  return (
    <>
      <div className="actions" role="group" aria-label={`Actions on ${sg.name}`}>
        <button type="button" onClick={() => start('resize')} aria-label={`Resize ${sg.name}`}>
          Resize
        </button>
        {sg.enabled ? (
          <button type="button" onClick={() => start('disable')} aria-label={`Disable ${sg.name}`}>
            Disable
          </button>
        ) : (
          <button type="button" onClick={() => start('enable')} aria-label={`Enable ${sg.name}`}>
            Enable
          </button>
        )}
        <button type="button" className="danger-text" onClick={() => start('destroy')} aria-label={`Destroy ${sg.name}`}>
          Destroy
        </button>
      </div>
      {outcome && <OperationOutcome what={outcome.what} result={outcome.result} />}
      {open === 'resize' && (
        <ConfirmDialog title={`Resize ${sg.name}`} confirmLabel="Resize" busy={busy || capError !== null} error={error} withReason onConfirm={confirm} onCancel={() => setOpen(null)}>
          <p>
            {sg.name} in {where} runs min {sg.capacity.min} / desired {sg.capacity.desired} / max {sg.capacity.max}. Instances are started or stopped until it runs the new desired count.
          </p>
          <div className="capacity-inputs">
            {(['min', 'desired', 'max'] as const).map((k) => (
              <label key={k} className="field">
                <span>{k}</span>
                <input inputMode="numeric" value={cap[k]} onChange={(e) => setCap((c) => ({ ...c, [k]: e.target.value }))} aria-invalid={capError ? true : undefined} />
              </label>
            ))}
          </div>
          {capError && <p className="field-error">{capError}</p>}
        </ConfirmDialog>
      )}
      {open === 'enable' && (
        <ConfirmDialog title={`Enable ${sg.name}`} confirmLabel="Enable" busy={busy} error={error} withReason onConfirm={confirm} onCancel={() => setOpen(null)}>
          <p>
            {sg.name} in {where} will be put into {lbWords(sg)} and start taking traffic.
          </p>
        </ConfirmDialog>
      )}
      {open === 'disable' && (
        <ConfirmDialog title={`Disable ${sg.name}`} confirmLabel="Disable" danger busy={busy} error={error} withReason onConfirm={confirm} onCancel={() => setOpen(null)}>
          <p>
            {sg.name} in {where} will be taken out of {lbWords(sg)} and drained: it stops taking traffic. Its {sg.instanceCounts.total} instances keep running, so it can be enabled again.
          </p>
        </ConfirmDialog>
      )}
      {open === 'destroy' && (
        <ConfirmDialog title={`Destroy ${sg.name}`} confirmLabel={`Destroy ${sg.name}`} danger busy={busy} error={error} withReason onConfirm={confirm} onCancel={() => setOpen(null)}>
          <p>
            {sg.name} in {where} and its {sg.instanceCounts.total} instances will be terminated. This cannot be undone.
          </p>
          {sg.enabled && <p className="warning-text">It is enabled and taking traffic now: disable it first unless you mean to cut that traffic.</p>}
        </ConfirmDialog>
      )}
    </>
  );
}
