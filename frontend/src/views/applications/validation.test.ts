import { describe, expect, it } from 'vitest';
import { fieldOfPath, validateApplication, type ApplicationFormValues } from './validation';

const ok: ApplicationFormValues = { name: 'shop', description: '', ownerEmail: 'team@example.com', criticality: 'HIGH' };

describe('validateApplication', () => {
  it('accepts a valid application', () => {
    expect(validateApplication(ok)).toEqual({});
  });

  it.each([
    ['', 'required'],
    ['Shop', 'Lower-case'],
    ['1shop', 'starting with a letter'],
    ['shop-web', 'Lower-case'],
    ['a'.repeat(64), '63'],
  ])('refuses the name %j', (name, words) => {
    expect(validateApplication({ ...ok, name }).name).toContain(words);
  });

  it('requires an owner email that looks like one', () => {
    expect(validateApplication({ ...ok, ownerEmail: '' }).ownerEmail).toContain('required');
    expect(validateApplication({ ...ok, ownerEmail: 'team' }).ownerEmail).toContain('not an email');
  });

  it('maps server problem paths to fields', () => {
    expect(fieldOfPath('input.ownerEmail')).toBe('ownerEmail');
    expect(fieldOfPath('name')).toBe('name');
    expect(fieldOfPath('input.cloudProviders[0]')).toBeNull();
  });
});
