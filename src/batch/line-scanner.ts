// Bytes-first NDJSON reading for the finder. ingest/ndjson.ts decodes every line to a string,
// which is right for $screen; a nightly export is mostly lines of patients the prefilter already
// ruled out, so here a line stays bytes until someone wants it: the scanner hands out
// [start, end) of a reused buffer together with the first `Patient/` in the line, found with
// one memchr-like search per chunk rather than per line. Decoding and JSON.parse happen only
// for the lines a pass keeps (see decodeLine).

import { open } from 'node:fs/promises';

const MARKER = Buffer.from('Patient/', 'latin1');
const LF = 0x0a;
const CR = 0x0d;

export interface LineVisitor {
  /**
   * One non-blank line: bytes [start, end) of `bytes` (no LF, no trailing CR), valid only
   * during the call. `marker` is the offset of the first `Patient/` in the line, or -1.
   */
  line(bytes: Buffer, start: number, end: number, lineNumber: number, marker: number): void;
  /** A line over maxLineBytes: its bytes were dropped unread. */
  tooLong(lineNumber: number): void;
}

export interface ScanOptions {
  maxLineBytes?: number;
  chunkBytes?: number;
  /** Called after each chunk with the bytes of that chunk (progress). */
  onBytes?: (bytesRead: number) => void;
}

export const DEFAULT_MAX_LINE_BYTES = 16 * 1024 * 1024;

export async function scanLines(path: string, visitor: LineVisitor, options: ScanOptions = {}): Promise<void> {
  const maxLine = options.maxLineBytes ?? DEFAULT_MAX_LINE_BYTES;
  let buffer = Buffer.allocUnsafe(options.chunkBytes ?? 1 << 20);
  const file = await open(path, 'r');
  let filled = 0;
  let lineNumber = 0;
  let skipping = false; // inside a too-long line, dropping bytes until its LF
  try {
    for (;;) {
      const { bytesRead } = await file.read(buffer, filled, buffer.length - filled, null);
      const eof = bytesRead === 0;
      const view = buffer.subarray(0, filled + bytesRead);
      let start = 0;
      let nextMarker = -2; // -2: not searched yet in this view
      for (;;) {
        const lf = view.indexOf(LF, start);
        if (lf < 0) break;
        lineNumber += 1;
        if (skipping) {
          skipping = false;
        } else {
          let end = lf;
          if (end > start && view[end - 1] === CR) end -= 1;
          if (end - start > maxLine) visitor.tooLong(lineNumber);
          else if (!isBlank(view, start, end)) {
            if (nextMarker !== -1 && nextMarker < start) nextMarker = view.indexOf(MARKER, start);
            const marker = nextMarker >= 0 && nextMarker < end ? nextMarker : -1;
            visitor.line(view, start, end, lineNumber, marker);
          }
        }
        start = lf + 1;
      }
      if (eof) {
        if (start < view.length && !skipping) {
          lineNumber += 1;
          let end = view.length;
          if (view[end - 1] === CR) end -= 1;
          if (end - start > maxLine) visitor.tooLong(lineNumber);
          else if (!isBlank(view, start, end)) visitor.line(view, start, end, lineNumber, view.indexOf(MARKER, start) >= 0 ? view.indexOf(MARKER, start) : -1);
        } else if (skipping) {
          lineNumber += 1;
        }
        break;
      }
      // Keep the unfinished line: move it to the front, or grow for a long line.
      const rest = view.length - start;
      if (skipping) {
        filled = 0;
      } else if (rest > maxLine + 1) {
        skipping = true;
        visitor.tooLong(lineNumber + 1);
        filled = 0;
      } else if (rest === buffer.length) {
        const grown = Buffer.allocUnsafe(buffer.length * 2);
        buffer.copy(grown, 0, start, view.length);
        buffer = grown;
        filled = rest;
      } else {
        buffer.copy(buffer, 0, start, view.length);
        filled = rest;
      }
      options.onBytes?.(bytesRead);
    }
  } finally {
    await file.close();
  }
}

function isBlank(bytes: Buffer, start: number, end: number): boolean {
  for (let i = start; i < end; i++) {
    const b = bytes[i]!;
    if (b !== 0x20 && b !== 0x09 && b !== CR) return false;
  }
  return true;
}

/** The Patient ids named by `Patient/<id>` in the line (relative or inside an absolute URL). */
export function patientIdsAt(bytes: Buffer, marker: number, end: number): string[] {
  const ids: string[] = [];
  let at = marker;
  while (at >= 0 && at < end) {
    const from = at + MARKER.length;
    let to = from;
    while (to < end && to - from < 64 && isIdByte(bytes[to]!)) to++;
    if (to > from) ids.push(bytes.toString('latin1', from, to));
    at = bytes.indexOf(MARKER, to);
  }
  return ids;
}

// [A-Za-z0-9\-.], the FHIR id alphabet.
function isIdByte(b: number): boolean {
  return (b >= 0x61 && b <= 0x7a) || (b >= 0x41 && b <= 0x5a) || (b >= 0x30 && b <= 0x39) || b === 0x2d || b === 0x2e;
}

const decoder = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

export type DecodedLine = { ok: true; text: string; value: unknown } | { ok: false; reason: 'not-utf8' | 'not-json' };

/** Where a line's content starts: after a UTF-8 BOM on line 1 (tolerated there only). */
export function contentStart(bytes: Buffer, start: number, end: number, lineNumber: number): number {
  return lineNumber === 1 && end - start >= 3 && bytes[start] === 0xef && bytes[start + 1] === 0xbb && bytes[start + 2] === 0xbf ? start + 3 : start;
}

/** Decodes (strict UTF-8, a BOM tolerated on line 1) and parses one line. */
export function decodeLine(bytes: Buffer, start: number, end: number, lineNumber: number): DecodedLine {
  start = contentStart(bytes, start, end, lineNumber);
  let text: string;
  try {
    text = decoder.decode(bytes.subarray(start, end));
  } catch {
    return { ok: false, reason: 'not-utf8' };
  }
  try {
    return { ok: true, text, value: JSON.parse(text) };
  } catch {
    return { ok: false, reason: 'not-json' };
  }
}
