import type { CombinedError } from 'urql';

/** A server-side input problem, at a path such as `stages[1].name` or `input.ownerEmail`. */
export interface Problem {
  path: string;
  code: string;
  message: string;
}

/** An API error put in words a person understands. */
export interface ErrorDescription {
  /** One sentence: what happened and what to do. */
  summary: string;
  /** The server's own messages, when they add something. */
  details: string[];
  /** Input problems, each at its path. */
  problems: Problem[];
  /** The first extensions.code, or NETWORK, or null. */
  code: string | null;
}

const sentences: Record<string, string> = {
  BAD_USER_INPUT: 'Some of what was entered was not accepted; fix what is listed and try again.',
  NOT_FOUND: 'It does not exist (any more): someone may have deleted it, or the link is wrong.',
  CONFLICT: 'Someone else changed this since it was loaded. Reload to see their change, then try again.',
  FORBIDDEN: 'You are not allowed to do this. Ask an owner of the application for access.',
  INTERNAL:
    'The server failed while doing this. It has been logged; try again, and tell the Gennaker operators if it keeps happening.',
};

/** The sentence for an extensions.code, or null for a code this dashboard does not know. */
export function sentenceForCode(code: string): string | null {
  return sentences[code] ?? null;
}

function isProblem(v: unknown): v is Problem {
  if (typeof v !== 'object' || v === null) return false;
  const p = v as Record<string, unknown>;
  return typeof p.path === 'string' && typeof p.message === 'string';
}

/** The problems carried by a GraphQL error's extensions, if any. */
export function problemsOf(extensions: Record<string, unknown> | undefined): Problem[] {
  const list = extensions?.problems;
  if (!Array.isArray(list)) return [];
  return list.filter(isProblem).map((p) => ({ path: p.path, code: typeof p.code === 'string' ? p.code : '', message: p.message }));
}

/**
 * Puts an urql error in words. A network failure says the API cannot be reached; a GraphQL
 * error is described by its extensions.code, with the server's message kept as a detail
 * except for INTERNAL (whose text is a reference only) and input problems listed by path.
 */
export function describeError(error: CombinedError | Error): ErrorDescription {
  const combined = error as Partial<CombinedError>;
  if (combined.networkError) {
    const status = (combined.response as { status?: number } | undefined)?.status;
    return {
      summary:
        'The Gennaker API cannot be reached' +
        (status ? ` (the server answered HTTP ${status})` : '') +
        '. Check that the server is running; this page updates by itself when it is back.',
      details: [],
      problems: [],
      code: 'NETWORK',
    };
  }
  const gqlErrors = combined.graphQLErrors ?? [];
  if (gqlErrors.length === 0) {
    return { summary: `Something went wrong: ${error.message}`, details: [], problems: [], code: null };
  }
  const codes = gqlErrors.map((e) => (typeof e.extensions?.code === 'string' ? e.extensions.code : ''));
  const code = codes.find((c) => c !== '') ?? null;
  const problems = gqlErrors.flatMap((e) => problemsOf(e.extensions as Record<string, unknown> | undefined));
  const summary =
    (code && sentenceForCode(code)) ?? `The request was refused: ${gqlErrors[0].message}`;
  const details = gqlErrors
    .filter((e, i) => codes[i] !== 'INTERNAL' && problemsOf(e.extensions as Record<string, unknown> | undefined).length === 0)
    .map((e) => e.message)
    .filter((m) => !summary.includes(m));
  return { summary, details, problems, code };
}
