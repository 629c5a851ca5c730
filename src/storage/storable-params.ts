// PostgreSQL refuses two things every other layer accepts: NUL in text (22021) and, in jsonb,
// a \u0000 escape or a lone UTF-16 surrogate escape (22P02). Both can arrive from a caller (a
// display, a note, an NDJSON line) and must not turn a finished screening into a 500, so every
// parameter passes through here on both drivers and they become U+FFFD.

const NUL = /\u0000/g;
// An escape not itself escaped (`\\u0000` is the text "\u0000"): a surrogate pair is kept, a
// \u0000 or an unpaired surrogate is replaced.
const ESCAPE = /(?<!\\)((?:\\\\)*)(\\ud[89ab][0-9a-f]{2}\\ud[c-f][0-9a-f]{2}|\\u(?:0000|d[89ab][0-9a-f]{2}|d[c-f][0-9a-f]{2}))/gi;

export function storableText(text: string): string {
  const out = text.includes('\u0000') ? text.replace(NUL, '\uFFFD') : text;
  if (!out.includes('\\u')) return out;
  return out.replace(ESCAPE, (match: string, slashes: string, escape: string) =>
    escape.length === 12 ? match : `${slashes}\\ufffd`,
  );
}

export function storableParams(params: readonly unknown[]): unknown[] {
  return params.map((p) =>
    typeof p === 'string' ? storableText(p) : Array.isArray(p) ? p.map((x) => (typeof x === 'string' ? storableText(x) : x)) : p,
  );
}
