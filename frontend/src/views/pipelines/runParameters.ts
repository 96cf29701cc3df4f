import type { PipelinesQuery } from '../../gql/graphql';

/** A pipeline parameter as the pipelines query reads it. */
export type ParameterSpec = Omit<NonNullable<PipelinesQuery['application']>['pipelines']['edges'][number]['node']['parameters'][number], '__typename'>;

/** The form's first values: each parameter's default. */
export function initialValues(params: readonly ParameterSpec[]): Record<string, string> {
  return Object.fromEntries(params.map((p) => [p.name, p.default]));
}

/** The errors of a run form, by parameter name: a required one left empty, a value not among the options. */
export function validateRun(params: readonly ParameterSpec[], values: Record<string, string>): Record<string, string> {
  const errors: Record<string, string> = {};
  for (const p of params) {
    const v = (values[p.name] ?? '').trim();
    const label = p.label || p.name;
    if (p.required && v === '') errors[p.name] = `${label} is required.`;
    else if (v !== '' && p.options.length > 0 && !p.options.includes(v)) errors[p.name] = `${label} must be one of: ${p.options.join(', ')}.`;
  }
  return errors;
}

/** The parameters sent to triggerPipeline: every value given, trimmed; empty optional ones left out. */
export function runParameters(params: readonly ParameterSpec[], values: Record<string, string>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const p of params) {
    const v = (values[p.name] ?? '').trim();
    if (v !== '') out[p.name] = v;
  }
  return out;
}
