// NDJSON framing [nd-json; Bulk Data output files; batch $screen]: one JSON text per line,
// LF or CRLF, blank lines skipped. Lines are cut on the LF byte before any decoding: in
// UTF-8 that byte never occurs inside a multi-byte character, so a character split across
// chunks is always whole by the time its line is decoded. A bad line (too long, not UTF-8)
// comes out as an error item on its own line number and the stream goes on.

import { OperationOutcomeError } from '../fhir/errors.js';

export interface NdjsonLine {
  /** 1-based, counting blank lines too, so it matches what an editor shows. */
  line: number;
  text: string;
}

export interface NdjsonLineError {
  line: number;
  error: OperationOutcomeError;
}

export type NdjsonItem = NdjsonLine | NdjsonLineError;

export interface NdjsonOptions {
  /** Bytes per line, without its line ending. Default: the 16 MiB body limit. */
  maxLineBytes?: number;
}

export const DEFAULT_MAX_LINE_BYTES = 16 * 1024 * 1024;

type Chunk = Uint8Array | string;

/**
 * Lines of an NDJSON text or stream (a Readable, or any (async) iterable of Buffers or
 * strings). String chunks must hold whole characters, as a Readable with setEncoding gives.
 * A too-long line is never buffered past the limit: its bytes are dropped as they arrive.
 */
export async function* ndjsonLines(
  source: Chunk | AsyncIterable<Chunk> | Iterable<Chunk>,
  options: NdjsonOptions = {},
): AsyncGenerator<NdjsonItem> {
  const max = options.maxLineBytes ?? DEFAULT_MAX_LINE_BYTES;
  const chunks: AsyncIterable<Chunk> | Iterable<Chunk> =
    typeof source === 'string' || source instanceof Uint8Array ? [source] : source;

  let parts: Uint8Array[] = [];
  let size = 0;
  let tooLong = false;
  let line = 0;

  for await (const chunk of chunks) {
    const bytes = typeof chunk === 'string' ? Buffer.from(chunk, 'utf8') : chunk;
    let start = 0;
    while (start <= bytes.length) {
      const lf = bytes.indexOf(0x0a, start);
      const end = lf < 0 ? bytes.length : lf;
      if (!tooLong && end > start) {
        // One byte of slack for the CR of a CRLF, which is not part of the line.
        if (size + (end - start) > max + 1) {
          tooLong = true;
          parts = [];
          size = 0;
        } else {
          // Copied: a stream may hand out views into a buffer it later reuses.
          parts.push(Uint8Array.prototype.slice.call(bytes, start, end));
          size += end - start;
        }
      }
      if (lf < 0) break;
      line += 1;
      const item = finishLine(line, parts, size, tooLong, max);
      if (item) yield item;
      parts = [];
      size = 0;
      tooLong = false;
      start = lf + 1;
    }
  }
  if (size > 0 || tooLong) {
    const item = finishLine(line + 1, parts, size, tooLong, max);
    if (item) yield item;
  }
}

/** True for an error item. */
export function isNdjsonError(item: NdjsonItem): item is NdjsonLineError {
  return 'error' in item;
}

// Fatal, so that bytes that are not UTF-8 reject the line instead of becoming U+FFFD and
// being screened as if they were data.
const decoder = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

/** The line limit is the request body limit (BODY_LIMIT), applied per line. */
function lineTooLong(max: number): OperationOutcomeError {
  return new OperationOutcomeError('PRESCREEN_LINE_TOO_LONG', { detail: `The limit is ${max} bytes a line (setting BODY_LIMIT).` });
}

function finishLine(line: number, parts: Uint8Array[], size: number, tooLong: boolean, max: number): NdjsonItem | undefined {
  if (tooLong) return { line, error: lineTooLong(max) };
  let bytes = Buffer.concat(parts, size);
  if (bytes.length > 0 && bytes[bytes.length - 1] === 0x0d) bytes = bytes.subarray(0, bytes.length - 1);
  if (bytes.length > max) return { line, error: lineTooLong(max) };
  // A byte-order mark is tolerated at the very start of the text, nowhere else.
  if (line === 1 && bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf) bytes = bytes.subarray(3);
  let text: string;
  try {
    text = decoder.decode(bytes);
  } catch {
    return { line, error: new OperationOutcomeError('PRESCREEN_NOT_JSON', { detail: 'The line is not UTF-8.' }) };
  }
  if (/^[ \t\r]*$/.test(text)) return undefined;
  return { line, text };
}
