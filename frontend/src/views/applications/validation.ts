import type { Criticality } from '../../gql/graphql';

export interface ApplicationFormValues {
  name: string;
  description: string;
  ownerEmail: string;
  criticality: Criticality;
}

export type ApplicationFormErrors = Partial<Record<keyof ApplicationFormValues, string>>;

export const criticalities: readonly Criticality[] = ['LOW', 'MEDIUM', 'HIGH', 'CRITICAL'];

const NAME = /^[a-z][a-z0-9]*$/;
const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

/** The same rules the server applies, checked before sending so mistakes show at once. */
export function validateApplication(v: ApplicationFormValues): ApplicationFormErrors {
  const errors: ApplicationFormErrors = {};
  const name = v.name.trim();
  if (name === '') errors.name = 'A name is required.';
  else if (name.length > 63) errors.name = 'At most 63 characters.';
  else if (!NAME.test(name)) errors.name = 'Lower-case letters and digits only, starting with a letter (no dashes: they separate stack and detail).';
  const email = v.ownerEmail.trim();
  if (email === '') errors.ownerEmail = 'An owner email is required.';
  else if (!EMAIL.test(email)) errors.ownerEmail = `"${email}" is not an email address.`;
  if (!criticalities.includes(v.criticality)) errors.criticality = 'Choose a criticality.';
  if (v.description.length > 1000) errors.description = 'At most 1000 characters.';
  return errors;
}

/** Maps a server problem path ("input.ownerEmail") to the form field it is about. */
export function fieldOfPath(path: string): keyof ApplicationFormValues | null {
  const last = path.replace(/^input\./, '').split('.')[0];
  return last === 'name' || last === 'description' || last === 'ownerEmail' || last === 'criticality' ? last : null;
}
