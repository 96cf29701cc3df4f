import { describe, expect, it } from 'vitest';
import { lineOfPath, pathLines, stageIndexOfPath } from './jsonPaths';

const text = JSON.stringify({ name: 'deploy', stages: [{ refId: '1', requisiteStageRefIds: [] }, { refId: '2', requisiteStageRefIds: ['1'] }] }, null, 2);

describe('pathLines', () => {
  it('finds the line of every value by its path', () => {
    const lines = pathLines(text);
    const lineOf = (needle: string) => text.split('\n').findIndex((l) => l.includes(needle)) + 1;
    expect(lines.get('name')).toBe(lineOf('"name"'));
    expect(lines.get('stages[1].refId')).toBe(lineOf('"refId": "2"'));
    expect(lines.get('stages[1].requisiteStageRefIds[0]')).toBe(lineOf('"1"\n') || text.split('\n').findIndex((l) => l.trim() === '"1"') + 1);
  });

  it('gives nothing for invalid JSON', () => {
    expect(pathLines('{"a": ').size).toBe(0);
  });
});

describe('lineOfPath', () => {
  it('drops input. and falls back to the nearest existing parent', () => {
    const lines = pathLines(text);
    expect(lineOfPath(lines, 'input.name')).toBe(lines.get('name'));
    expect(lineOfPath(lines, 'stages[1].config.waitTime')).toBe(lines.get('stages[1]'));
    expect(lineOfPath(lines, 'nothing')).toBeNull();
  });
});

describe('stageIndexOfPath', () => {
  it('reads the stage index', () => {
    expect(stageIndexOfPath('stages[3].name')).toBe(3);
    expect(stageIndexOfPath('input.stages[0]')).toBe(0);
    expect(stageIndexOfPath('name')).toBeNull();
  });
});
