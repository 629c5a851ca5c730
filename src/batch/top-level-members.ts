// The string values of a few top-level members of one JSON object's text, without building the
// object: the finder keys every stored candidate line by resourceType and id, and JSON.parse of
// a candidate's hundreds of lines costs the main thread more than the rest of keying them. A scan
// of the top level skips nested values with indexOf on their brackets and quotes.
//
// The text must be JSON already checked (the gather pass parsed every line it kept). As
// JSON.parse does, a member that appears twice counts by its last occurrence. Anything the scan
// does not follow (a key or value with escapes, a member that is not a string) is reported as
// `undefined` for the caller to parse the line instead.

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const OPEN_BRACE = 0x7b;
const CLOSE_BRACE = 0x7d;
const OPEN_BRACKET = 0x5b;
const CLOSE_BRACKET = 0x5d;
const COMMA = 0x2c;
const COLON = 0x3a;

/** Index just past the closing quote of the string opening at `start`. */
function stringEnd(text: string, start: number): number {
  let quote = text.indexOf('"', start + 1);
  for (;;) {
    if (quote < 0) return -1;
    let slashes = 0;
    for (let i = quote - 1; text.charCodeAt(i) === BACKSLASH; i--) slashes++;
    if (slashes % 2 === 0) return quote + 1;
    quote = text.indexOf('"', quote + 1);
  }
}

function skipSpace(text: string, i: number): number {
  for (;;) {
    const c = text.charCodeAt(i);
    if (c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09) i++;
    else return i;
  }
}

/** Index just past the value starting at `start` (a string, object, array or literal). */
function valueEnd(text: string, start: number): number {
  const first = text.charCodeAt(start);
  if (first === QUOTE) return stringEnd(text, start);
  if (first !== OPEN_BRACE && first !== OPEN_BRACKET) {
    let i = start;
    for (;;) {
      const c = text.charCodeAt(i);
      if (c === COMMA || c === CLOSE_BRACE || c === CLOSE_BRACKET || Number.isNaN(c)) return i;
      i++;
    }
  }
  let depth = 0;
  let i = start;
  for (;;) {
    const c = text.charCodeAt(i);
    if (Number.isNaN(c)) return -1;
    if (c === QUOTE) {
      i = stringEnd(text, i);
      if (i < 0) return -1;
      continue;
    }
    if (c === OPEN_BRACE || c === OPEN_BRACKET) depth++;
    else if (c === CLOSE_BRACE || c === CLOSE_BRACKET) {
      depth--;
      if (depth === 0) return i + 1;
    }
    i++;
  }
}

export type MemberValue = string | null | undefined;

/**
 * For each name: its string value, `null` when the object has no such member, or `undefined`
 * when the scan cannot tell (not an object, an escaped key, a value that is not a plain string).
 */
export function topLevelStrings(text: string, names: readonly string[]): MemberValue[] {
  const found: MemberValue[] = names.map(() => null);
  let i = skipSpace(text, 0);
  if (text.charCodeAt(i) !== OPEN_BRACE) return names.map(() => undefined);
  i = skipSpace(text, i + 1);
  if (text.charCodeAt(i) === CLOSE_BRACE) return found;
  for (;;) {
    if (text.charCodeAt(i) !== QUOTE) return names.map(() => undefined);
    const keyEnd = stringEnd(text, i);
    if (keyEnd < 0) return names.map(() => undefined);
    const key = text.slice(i + 1, keyEnd - 1);
    i = skipSpace(text, keyEnd);
    if (text.charCodeAt(i) !== COLON) return names.map(() => undefined);
    i = skipSpace(text, i + 1);
    const end = valueEnd(text, i);
    if (end < 0) return names.map(() => undefined);
    if (key.includes('\\')) {
      // An escaped key may spell one of the names: only a parse can say.
      return names.map(() => undefined);
    }
    const which = names.indexOf(key);
    if (which >= 0) {
      const raw = text.slice(i, end);
      found[which] = raw.charCodeAt(0) === QUOTE && !raw.includes('\\') ? raw.slice(1, -1) : undefined;
      // Once every name is read, the rest matters only if it could hold a later duplicate: when
      // none of the names appears as a quoted string further on, not even nested, none can.
      if (found.every((v) => v !== null) && names.every((n) => text.indexOf(`"${n}"`, end) < 0)) return found;
    }
    i = skipSpace(text, end);
    const c = text.charCodeAt(i);
    if (c === CLOSE_BRACE) return found;
    if (c !== COMMA) return names.map(() => undefined);
    i = skipSpace(text, i + 1);
  }
}
