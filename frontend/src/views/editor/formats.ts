import { LineCounter, parseDocument, stringify, visit, type Node } from 'yaml';

/** The notations the pipeline editor reads and writes a definition in. */
export type Format = 'json' | 'yaml';

/** Each format's name as a person reads it, in the order the editor's switch shows them. */
export const formatNames: Record<Format, string> = { json: 'JSON', yaml: 'YAML' };

/** A text read as a value, or why it cannot be read, in words. */
export type Read = { ok: true; value: unknown } | { ok: false; message: string };

/**
 * Reads a text in a format. YAML is read as YAML 1.2 (the `yaml` package's core schema: `yes`
 * stays a string) and one document only; its message names the line and column of the first
 * error. JSON's message is the browser's, which names the position (Chromium adds the line).
 */
export function readText(text: string, format: Format): Read {
  if (format === 'json') {
    try {
      return { ok: true, value: JSON.parse(text) };
    } catch (e) {
      return { ok: false, message: `The JSON cannot be read: ${(e as Error).message}` };
    }
  }
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, prettyErrors: false });
  const first = doc.errors[0];
  if (first) {
    const { line, col } = lineCounter.linePos(first.pos[0]);
    return { ok: false, message: `The YAML cannot be read at line ${line}, column ${col}: ${first.message}` };
  }
  try {
    return { ok: true, value: doc.toJS() };
  } catch (e) {
    // An alias before its anchor, or too many aliases, is found only while resolving: the
    // line given is the first alias's.
    let alias: Node | undefined;
    visit(doc, {
      Alias(_, node) {
        alias = node;
        return visit.BREAK;
      },
    });
    const at = alias?.range ? ` at line ${lineCounter.linePos(alias.range[0]).line}` : '';
    return { ok: false, message: `The YAML cannot be read${at}: ${(e as Error).message}` };
  }
}

/**
 * Writes a value in a format: JSON indented by two spaces; YAML in block style, two spaces,
 * long strings kept on one line, and no anchors even where the same object appears twice.
 */
export function printText(value: unknown, format: Format): string {
  if (format === 'json') return JSON.stringify(value, null, 2);
  return stringify(value, { lineWidth: 0, aliasDuplicateObjects: false });
}

/**
 * The same value written in another format. A text that cannot be read is refused with a
 * message saying so, so the editor keeps the text and the format it has. YAML comments and
 * layout do not survive the trip.
 */
export function convertText(text: string, from: Format, to: Format): { ok: true; text: string } | { ok: false; message: string } {
  if (from === to) return { ok: true, text };
  const read = readText(text, from);
  if (!read.ok) return { ok: false, message: `${read.message}. It stays ${formatNames[from]}: fix it before switching to ${formatNames[to]}.` };
  return { ok: true, text: printText(read.value, to) };
}

const storageKey = 'gennaker.pipelineEditor.format';

/** The format last chosen in this browser, JSON when none was (or storage is unavailable). */
export function rememberedFormat(): Format {
  try {
    return localStorage.getItem(storageKey) === 'yaml' ? 'yaml' : 'json';
  } catch {
    return 'json';
  }
}

/** Keeps the chosen format for the next editor opened in this browser; best effort. */
export function rememberFormat(format: Format): void {
  try {
    localStorage.setItem(storageKey, format);
  } catch {
    // Storage full or disabled: the choice lasts until the page is left.
  }
}
