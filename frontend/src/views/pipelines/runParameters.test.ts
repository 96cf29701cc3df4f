import { describe, expect, it } from 'vitest';
import { initialValues, runParameters, validateRun, type ParameterSpec } from './runParameters';

const p = (over: Partial<ParameterSpec>): ParameterSpec => ({ name: 'x', label: '', description: '', default: '', required: false, options: [], ...over });
const params = [p({ name: 'version', label: 'Version', required: true }), p({ name: 'region', options: ['eu', 'us'], default: 'eu' }), p({ name: 'note' })];

describe('run parameters', () => {
  it('start from the defaults', () => {
    expect(initialValues(params)).toEqual({ version: '', region: 'eu', note: '' });
  });

  it('require required ones and keep values among the options', () => {
    expect(validateRun(params, { version: ' ', region: 'eu' })).toEqual({ version: 'Version is required.' });
    expect(validateRun(params, { version: '1.2', region: 'mars' })).toEqual({ region: 'region must be one of: eu, us.' });
    expect(validateRun(params, { version: '1.2', region: '' })).toEqual({});
  });

  it('send what was given, trimmed, without empty optional ones', () => {
    expect(runParameters(params, { version: ' 1.2 ', region: 'us', note: '' })).toEqual({ version: '1.2', region: 'us' });
  });
});
