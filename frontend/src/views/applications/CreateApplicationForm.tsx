import { useId, useState, type FormEvent } from 'react';
import { useMutation } from 'urql';
import { describeError } from '../../api/errors';
import { ErrorMessage } from '../../components/ErrorMessage';
import { CreateApplicationMutation } from './queries';
import { criticalities, fieldOfPath, validateApplication, type ApplicationFormErrors, type ApplicationFormValues } from './validation';

const empty: ApplicationFormValues = { name: '', description: '', ownerEmail: '', criticality: 'MEDIUM' };

/** Creates an application; checks the fields as the server would, and shows the server's problems at their fields. */
export function CreateApplicationForm({ onCreated }: { onCreated?: (name: string) => void }) {
  const [values, setValues] = useState(empty);
  const [touched, setTouched] = useState(false);
  const [serverErrors, setServerErrors] = useState<ApplicationFormErrors>({});
  const [result, create] = useMutation(CreateApplicationMutation);
  const [created, setCreated] = useState<string | null>(null);
  const id = useId();
  const errors = { ...(touched ? validateApplication(values) : {}), ...serverErrors };

  const set = <K extends keyof ApplicationFormValues>(k: K, v: ApplicationFormValues[K]) => {
    setValues((old) => ({ ...old, [k]: v }));
    setServerErrors((old) => {
      const rest = { ...old };
      delete rest[k];
      return rest;
    });
  };

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setTouched(true);
    setCreated(null);
    if (Object.keys(validateApplication(values)).length > 0) return;
    const res = await create({
      input: { name: values.name.trim(), description: values.description.trim(), ownerEmail: values.ownerEmail.trim(), criticality: values.criticality },
    });
    if (res.error) {
      const byField: ApplicationFormErrors = {};
      describeError(res.error).problems.forEach((p) => {
        const f = fieldOfPath(p.path);
        if (f) byField[f] = p.message;
      });
      setServerErrors(byField);
      return;
    }
    const name = res.data?.createApplication.application.name ?? values.name;
    setCreated(name);
    setValues(empty);
    setTouched(false);
    onCreated?.(name);
  };

  const field = (k: keyof ApplicationFormValues) => ({
    id: `${id}-${k}`,
    'aria-invalid': errors[k] ? true : undefined,
    'aria-describedby': errors[k] ? `${id}-${k}-error` : undefined,
  });
  const fieldError = (k: keyof ApplicationFormValues) =>
    errors[k] ? (
      <span className="field-error" id={`${id}-${k}-error`}>
        {errors[k]}
      </span>
    ) : null;

  return (
    <form className="card form" onSubmit={submit} noValidate aria-labelledby={`${id}-title`}>
      <h2 id={`${id}-title`}>New application</h2>
      <div className="form-grid">
        <div className="field">
          <label htmlFor={`${id}-name`}>Name</label>
          <input {...field('name')} value={values.name} onChange={(e) => set('name', e.target.value)} autoComplete="off" placeholder="checkout" />
          {fieldError('name')}
        </div>
        <div className="field">
          <label htmlFor={`${id}-ownerEmail`}>Owner email</label>
          <input {...field('ownerEmail')} type="email" value={values.ownerEmail} onChange={(e) => set('ownerEmail', e.target.value)} placeholder="team@example.com" />
          {fieldError('ownerEmail')}
        </div>
        <div className="field">
          <label htmlFor={`${id}-criticality`}>Criticality</label>
          <select {...field('criticality')} value={values.criticality} onChange={(e) => set('criticality', e.target.value as ApplicationFormValues['criticality'])}>
            {criticalities.map((c) => (
              <option key={c} value={c}>
                {c.toLowerCase()}
              </option>
            ))}
          </select>
          {fieldError('criticality')}
        </div>
        <div className="field field-wide">
          <label htmlFor={`${id}-description`}>Description</label>
          <input {...field('description')} value={values.description} onChange={(e) => set('description', e.target.value)} />
          {fieldError('description')}
        </div>
      </div>
      {result.error && <ErrorMessage error={result.error} title="The application was not created" />}
      {created && (
        <p className="success" role="status">
          Application {created} created.
        </p>
      )}
      <div className="form-actions">
        <button type="submit" className="primary" disabled={result.fetching}>
          {result.fetching ? 'Creating…' : 'Create application'}
        </button>
      </div>
    </form>
  );
}
