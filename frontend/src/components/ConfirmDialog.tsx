import { useState, type ReactNode } from 'react';
import type { CombinedError } from 'urql';
import { Dialog } from './Dialog';
import { ErrorMessage } from './ErrorMessage';

export interface ConfirmDialogProps {
  title: string;
  /** What will happen, in words. */
  children: ReactNode;
  confirmLabel: string;
  danger?: boolean;
  busy?: boolean;
  error?: CombinedError | null;
  /** Asks for a reason, recorded with the operation. */
  withReason?: boolean;
  onConfirm: (reason: string) => void;
  onCancel: () => void;
}

/** Says what an action will do and asks before doing it. */
export function ConfirmDialog(p: ConfirmDialogProps) {
  const [reason, setReason] = useState('');
  return (
    <Dialog title={p.title} onClose={p.onCancel}>
      <div className="dialog-body">{p.children}</div>
      {p.withReason && (
        <label className="field">
          <span>Reason (recorded with the operation)</span>
          <input value={reason} onChange={(e) => setReason(e.target.value)} />
        </label>
      )}
      <ErrorMessage error={p.error} />
      <div className="dialog-actions">
        <button type="button" onClick={p.onCancel}>
          Cancel
        </button>
        <button type="button" className={p.danger ? 'danger' : 'primary'} disabled={p.busy} onClick={() => p.onConfirm(reason)}>
          {p.busy ? 'Working…' : p.confirmLabel}
        </button>
      </div>
    </Dialog>
  );
}
