import { beforeEach, describe, expect, it } from 'vitest';
import { blankDefinition, parseDefinition } from './definition';
import { convertText, printText, readText, rememberedFormat, rememberFormat } from './formats';

// Strings that YAML would read as something else unless quoted, a multi-line script, a null.
const tricky = {
  ...blankDefinition(),
  description: 'line one\nline two: with a colon\n',
  stages: [
    { refId: '1', type: 'script', name: 'yes', requisiteStageRefIds: [], config: { command: '#!/bin/sh\necho "${version}"\n', retries: '3', flag: 'true', empty: '', nothing: null, nested: [{ a: [1, 2.5, -3] }] } },
    { refId: '2', type: 'wait', name: '- not a list', requisiteStageRefIds: ['1'], config: { waitTime: 5 } },
  ],
};

describe('convertText', () => {
  it('keeps the definition equal through JSON → YAML → JSON', () => {
    for (const definition of [blankDefinition(), tricky]) {
      const json = printText(definition, 'json');
      const yaml = convertText(json, 'json', 'yaml');
      expect(yaml.ok).toBe(true);
      if (!yaml.ok) return;
      expect(yaml.text).toContain('\nstages:\n  - refId: "1"\n'); // block style, not JSON in disguise
      expect(parseDefinition(yaml.text, 'yaml')).toEqual({ ok: true, definition });
      const back = convertText(yaml.text, 'yaml', 'json');
      expect(back).toEqual({ ok: true, text: json });
    }
  });

  it('reads hand-written YAML as the same definition as its JSON', () => {
    const yaml = 'name: deploy # the name\nstages:\n  - {refId: "1", type: wait, requisiteStageRefIds: [], config: {waitTime: 5}}\n';
    const json = convertText(yaml, 'yaml', 'json');
    expect(json).toEqual({ ok: true, text: JSON.stringify({ name: 'deploy', stages: [{ refId: '1', type: 'wait', requisiteStageRefIds: [], config: { waitTime: 5 } }] }, null, 2) });
  });

  it('refuses a text that cannot be read, saying so', () => {
    const json = convertText('{"name": "deploy",', 'json', 'yaml');
    expect(json.ok).toBe(false);
    if (!json.ok) expect(json.message).toMatch(/^The JSON cannot be read: .+\. It stays JSON: fix it before switching to YAML\.$/);
    const yaml = convertText('name: deploy\nstages:\n  - refId: "1"\n   type: wait\n', 'yaml', 'json');
    expect(yaml.ok).toBe(false);
    if (!yaml.ok) expect(yaml.message).toMatch(/^The YAML cannot be read at line 4, column \d+: .+ It stays YAML: fix it before switching to JSON\.$/);
  });

  it('leaves the text alone when the format does not change', () => {
    expect(convertText('not: [json', 'yaml', 'yaml')).toEqual({ ok: true, text: 'not: [json' });
  });
});

describe('readText', () => {
  it('names the line of a YAML error', () => {
    const r = readText('name: deploy\nname: again\n', 'yaml');
    expect(r).toEqual({ ok: false, message: 'The YAML cannot be read at line 2, column 1: Map keys must be unique' });
  });

  it('names the line of an alias that cannot be resolved', () => {
    const r = readText('name: deploy\nstages: *none\n', 'yaml');
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.message).toMatch(/^The YAML cannot be read at line 2: /);
  });

  it('reads YAML 1.2: yes, on and 010 are not booleans or octal', () => {
    expect(readText('a: yes\nb: on\nc: 010\nd: "5"\n', 'yaml')).toEqual({ ok: true, value: { a: 'yes', b: 'on', c: 10, d: '5' } });
  });
});

describe('parseDefinition in YAML', () => {
  it('wants a mapping with a list of stages', () => {
    expect(parseDefinition('- a\n- b\n', 'yaml')).toEqual({ ok: false, message: 'The definition must be a YAML mapping (key: value lines).' });
    expect(parseDefinition('', 'yaml')).toEqual({ ok: false, message: 'The definition must be a YAML mapping (key: value lines).' });
    expect(parseDefinition('name: deploy\n', 'yaml')).toEqual({ ok: false, message: 'The definition needs "stages": a list.' });
  });
});

describe('rememberedFormat', () => {
  beforeEach(() => localStorage.clear());

  it('is JSON until YAML is chosen, and JSON again after junk', () => {
    expect(rememberedFormat()).toBe('json');
    rememberFormat('yaml');
    expect(rememberedFormat()).toBe('yaml');
    localStorage.setItem('gennaker.pipelineEditor.format', 'toml');
    expect(rememberedFormat()).toBe('json');
  });
});
