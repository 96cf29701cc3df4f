import { useId, useState } from 'react';
import { useMutation } from 'urql';
import { Link } from 'react-router';
import { Dialog } from '../../components/Dialog';
import { ErrorMessage } from '../../components/ErrorMessage';
import { Warnings } from '../../components/Warnings';
import { initialValues, runParameters, validateRun, type ParameterSpec } from './runParameters';
import { TriggerPipelineMutation } from './queries';

/** Runs a pipeline: one field per parameter (a select when it has options), and a reason. */
export function RunDialog({ pipeline, onClose }: { pipeline: { id: string; name: string; parameters: readonly ParameterSpec[] }; onClose: () => void }) {
  const id = useId();
  const [values, setValues] = useState(() => initialValues(pipeline.parameters));
  const [reason, setReason] = useState('');
  const [tried, setTried] = useState(false);
  const [state, trigger] = useMutation(TriggerPipelineMutation);
  const errors = tried ? validateRun(pipeline.parameters, values) : {};

  const submit = async (e: React.FormEvent) => {
    e.preventDefault();
    setTried(true);
    if (Object.keys(validateRun(pipeline.parameters, values)).length > 0) return;
    await trigger({ input: { pipelineId: pipeline.id, parameters: runParameters(pipeline.parameters, values), reason } });
  };
  const started = state.data?.triggerPipeline;

  return (
    <Dialog title={`Run ${pipeline.name}`} onClose={onClose}>
      {started ? (
        <div role="status">
          <p>
            Started: <Link autoFocus to={`/executions/${encodeURIComponent(started.execution.id)}`}>follow the execution</Link>.
          </p>
          <Warnings warnings={started.warnings} />
          <div className="dialog-actions">
            <button type="button" onClick={onClose}>
              Close
            </button>
          </div>
        </div>
      ) : (
        <form onSubmit={submit} noValidate>
          {pipeline.parameters.length === 0 && <p className="muted">This pipeline has no parameters.</p>}
          {pipeline.parameters.map((p) => {
            const fid = `${id}-${p.name}`;
            const err = errors[p.name];
            const common = { id: fid, value: values[p.name] ?? '', 'aria-invalid': err ? true : undefined, 'aria-describedby': err ? `${fid}-err` : p.description ? `${fid}-desc` : undefined, required: p.required };
            const onChange = (e: React.ChangeEvent<HTMLInputElement | HTMLSelectElement>) => setValues((v) => ({ ...v, [p.name]: e.target.value }));
            return (
              <div className="field" key={p.name}>
                <label htmlFor={fid}>
                  {p.label || p.name}
                  {p.required && <span aria-hidden="true"> *</span>}
                </label>
                {p.options.length > 0 ? (
                  <select {...common} onChange={onChange}>
                    {(!p.required || common.value === '') && <option value="">{p.required ? 'Choose…' : '(none)'}</option>}
                    {p.options.map((o) => (
                      <option key={o} value={o}>
                        {o}
                      </option>
                    ))}
                  </select>
                ) : (
                  <input {...common} onChange={onChange} />
                )}
                {p.description && (
                  <span className="muted small" id={`${fid}-desc`}>
                    {p.description}
                  </span>
                )}
                {err && (
                  <span className="field-error" id={`${fid}-err`}>
                    {err}
                  </span>
                )}
              </div>
            );
          })}
          <div className="field">
            <label htmlFor={`${id}-reason`}>Reason</label>
            <input id={`${id}-reason`} value={reason} onChange={(e) => setReason(e.target.value)} placeholder="Why, recorded with the execution" />
          </div>
          <ErrorMessage error={state.error} title="The pipeline was not started" />
          <div className="dialog-actions">
            <button type="button" onClick={onClose}>
              Cancel
            </button>
            <button type="submit" className="primary" disabled={state.fetching}>
              {state.fetching ? 'Starting…' : 'Run'}
            </button>
          </div>
        </form>
      )}
    </Dialog>
  );
}
