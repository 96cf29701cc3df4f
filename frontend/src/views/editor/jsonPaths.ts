/**
 * The line (1-based) where each value of a JSON text starts, by path in the server's
 * notation: `name`, `stages[1]`, `stages[1].requisiteStageRefIds[0]`. Returns an empty map
 * for text that is not valid JSON.
 */
export function pathLines(text: string): Map<string, number> {
  const lines = new Map<string, number>();
  let i = 0;
  let line = 1;
  const ws = () => {
    while (i < text.length && /\s/.test(text[i])) {
      if (text[i] === '\n') line++;
      i++;
    }
  };
  const fail = (): never => {
    throw new Error('invalid');
  };
  const str = (): string => {
    if (text[i] !== '"') fail();
    i++;
    let out = '';
    while (i < text.length && text[i] !== '"') {
      if (text[i] === '\\') {
        out += text.slice(i, i + 2);
        i += 2;
      } else out += text[i++];
    }
    if (text[i] !== '"') fail();
    i++;
    return JSON.parse(`"${out}"`) as string;
  };
  const value = (path: string): void => {
    ws();
    if (path !== '' && !lines.has(path)) lines.set(path, line);
    const c = text[i];
    if (c === '{') {
      i++;
      ws();
      if (text[i] === '}') return void i++;
      for (;;) {
        ws();
        const key = str();
        ws();
        if (text[i++] !== ':') fail();
        value(path ? `${path}.${key}` : key);
        ws();
        if (text[i] === ',') i++;
        else if (text[i] === '}') return void i++;
        else fail();
      }
    }
    if (c === '[') {
      i++;
      ws();
      if (text[i] === ']') return void i++;
      for (let n = 0; ; n++) {
        value(`${path}[${n}]`);
        ws();
        if (text[i] === ',') i++;
        else if (text[i] === ']') return void i++;
        else fail();
      }
    }
    if (c === '"') return void str();
    const m = /^(-?\d+(\.\d+)?([eE][+-]?\d+)?|true|false|null)/.exec(text.slice(i));
    if (!m) fail();
    i += m![0].length;
  };
  try {
    value('');
    ws();
    if (i !== text.length) fail();
  } catch {
    return new Map();
  }
  return lines;
}

/**
 * The line a server problem path points at: `input.` is dropped, and a path that does not
 * exist in the text (a missing field) falls back to its nearest existing parent.
 */
export function lineOfPath(lines: Map<string, number>, path: string): number | null {
  let p = path.replace(/^input\./, '');
  while (p !== '') {
    const l = lines.get(p);
    if (l !== undefined) return l;
    const cut = Math.max(p.lastIndexOf('.'), p.lastIndexOf('['));
    p = cut > 0 ? p.slice(0, cut) : '';
  }
  return null;
}

/** The index of the stage a path is about (`stages[2].name` → 2), or null. */
export function stageIndexOfPath(path: string): number | null {
  const m = /^(?:input\.)?stages\[(\d+)\]/.exec(path);
  return m ? Number(m[1]) : null;
}
