import { isAlias, isMap, isScalar, isSeq, LineCounter, parseDocument, type Node } from 'yaml';

/**
 * The YAML counterpart of pathLines: the line (1-based) of every value of a YAML text, by
 * path in the server's notation (`stages[1].requisiteStageRefIds[0]`), read from the ranges
 * of the `yaml` package's document nodes. A mapping's entry is at the line of its key (a
 * block value starts below it), a sequence's item at the line of the item. An alias is
 * not followed: paths inside it fall back to the alias's line through lineOfPath. Returns
 * an empty map for text that is not valid YAML.
 */
export function yamlPathLines(text: string): Map<string, number> {
  const lines = new Map<string, number>();
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, prettyErrors: false });
  if (doc.errors.length > 0) return lines;
  const lineAt = (node: Node | null | undefined) => (node?.range ? lineCounter.linePos(node.range[0]).line : null);
  const set = (path: string, line: number | null) => {
    if (line !== null && !lines.has(path)) lines.set(path, line);
  };
  const walk = (node: unknown, path: string): void => {
    if (isAlias(node)) return;
    if (isMap(node)) {
      for (const pair of node.items) {
        if (!isScalar(pair.key)) continue; // a collection as a key has no path on the server
        const key = String(pair.key.value);
        const at = path ? `${path}.${key}` : key;
        set(at, lineAt(pair.key));
        walk(pair.value, at);
      }
    } else if (isSeq(node)) {
      node.items.forEach((item, n) => {
        const at = `${path}[${n}]`;
        set(at, lineAt(item as Node | null));
        walk(item, at);
      });
    }
  };
  walk(doc.contents, '');
  return lines;
}
