import { describe, expect, it } from 'vitest';
import { blankDefinition } from './definition';
import { lineOfPath, pathLines } from './jsonPaths';
import { yamlPathLines } from './yamlPaths';

const text = `# a comment moves nothing
name: deploy
stages:
  - refId: "1"
    type: wait
    requisiteStageRefIds: []
    config:
      waitTime: 5
  - refId: "2"
    type: manualJudgment
    requisiteStageRefIds: ["1", nope]
    config:
      judgmentInputs:
        - value: ship it
        - value: hold
  - { refId: "3", type: wait, requisiteStageRefIds: [
      "1",
      "2x"
    ] }
triggers: []
`;

const lineOf = (needle: string, from = 0) => text.split('\n').findIndex((l, i) => i >= from && l.includes(needle)) + 1;

describe('yamlPathLines', () => {
  const lines = yamlPathLines(text);

  it('finds the line of every value in nested mappings and sequences', () => {
    expect(lines.get('name')).toBe(2);
    expect(lines.get('stages')).toBe(3);
    expect(lines.get('stages[0]')).toBe(4);
    expect(lines.get('stages[0].config.waitTime')).toBe(lineOf('waitTime'));
    expect(lines.get('stages[1]')).toBe(lineOf('refId: "2"'));
    expect(lines.get('stages[1].config.judgmentInputs')).toBe(lineOf('judgmentInputs'));
    expect(lines.get('stages[1].config.judgmentInputs[1].value')).toBe(lineOf('hold'));
    expect(lines.get('triggers')).toBe(lineOf('triggers'));
  });

  it('finds the items of flow sequences, on one line or across lines', () => {
    expect(lines.get('stages[1].requisiteStageRefIds[1]')).toBe(lineOf('nope'));
    expect(lines.get('stages[2]')).toBe(lineOf('refId: "3"'));
    expect(lines.get('stages[2].requisiteStageRefIds[0]')).toBe(lineOf('"1",', lineOf('refId: "3"')));
    expect(lines.get('stages[2].requisiteStageRefIds[1]')).toBe(lineOf('"2x"'));
  });

  it('falls back from a missing leaf to its nearest existing parent', () => {
    expect(lineOfPath(lines, 'input.stages[1].config.waitTime')).toBe(lineOf('config:', lineOf('refId: "2"')));
    expect(lineOfPath(lines, 'stages[1].requisiteStageRefIds[5]')).toBe(lineOf('nope'));
    expect(lineOfPath(lines, 'stages[7].name')).toBe(3);
    expect(lineOfPath(lines, 'nothing')).toBeNull();
  });

  it('stops at an alias: paths inside it are at the alias', () => {
    const aliased = yamlPathLines('base: &cfg\n  waitTime: 5\nstages:\n  - config: *cfg\n');
    expect(aliased.get('base.waitTime')).toBe(2);
    expect(lineOfPath(aliased, 'stages[0].config.waitTime')).toBe(4);
  });

  it('agrees with pathLines on JSON, which is YAML too', () => {
    const json = JSON.stringify(blankDefinition(), null, 2);
    expect(yamlPathLines(json)).toEqual(pathLines(json));
  });

  it('gives nothing for invalid YAML', () => {
    expect(yamlPathLines('stages:\n  - refId: 1\n   bad: [\n').size).toBe(0);
    expect(yamlPathLines('a: 1\na: 2\n').size).toBe(0);
  });
});
