// Reading a study folder's YAML: one file parsed and checked against its TypeBox shape
// (MappingError names file, line and path; `lineOf` finds the line of a later check's path), and the hash of the whole folder that goes into
// criteriaVersion. Kept apart from load-study.ts, which compiles the mapping, so that a process
// needing only a study's identity (the nightly finder's main thread) reads it without loading
// the compiler, fhirpath.js and UCUM.

import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import type { TSchema } from 'typebox';
import { Value } from 'typebox/value';
import { isMap, isSeq, LineCounter, parseDocument, type Node } from 'yaml';
import { MappingError } from './mapping-error.js';

export interface CheckedFile {
  data: unknown;
  bytes: Buffer;
  /** The 1-based line of the node at a JSON pointer (`/criteria/2/rule`), or of its deepest existing parent. */
  lineOf(path: string): number | undefined;
  /** The line of the map key a JSON pointer ends on (`/pregnancy` → the line `pregnancy:`). */
  keyLineOf(path: string): number | undefined;
}

export function readChecked(dir: string, name: string, schema: TSchema): CheckedFile {
  const path = join(dir, name);
  if (!existsSync(path)) throw new MappingError(name, '', `file is missing from ${dir}`);
  const bytes = readFileSync(path);
  const lines = new LineCounter();
  const doc = parseDocument(bytes.toString('utf8'), { uniqueKeys: true, lineCounter: lines });
  const syntax = doc.errors[0];
  if (syntax) {
    const why = syntax.message.split('\n')[0];
    throw new MappingError(name, '', `not valid YAML: ${why}`, syntax.linePos?.[0].line);
  }
  const data: unknown = doc.toJS();
  const lineOf = (pointer: string): number | undefined => {
    const offset = nodeAt(doc.contents, pointer)?.range?.[0];
    return offset === undefined ? undefined : lines.linePos(offset).line;
  };
  const keyLineOf = (pointer: string): number | undefined => {
    const cut = pointer.lastIndexOf('/');
    const parent = nodeAt(doc.contents, pointer.slice(0, cut));
    const last = pointer.slice(cut + 1).replaceAll('~1', '/').replaceAll('~0', '~');
    const key = isMap(parent) ? parent.items.find((p) => String((p.key as { value?: unknown } | null)?.value ?? p.key) === last)?.key : undefined;
    const offset = (key as Node | null | undefined)?.range?.[0];
    return offset === undefined ? lineOf(pointer) : lines.linePos(offset).line;
  };
  if (data === null || data === undefined) throw new MappingError(name, '', 'file is empty');
  checkShape(name, schema, data, lineOf);
  return { data, bytes, lineOf, keyLineOf };
}

/** Throws a MappingError for the first way `data` breaks `schema`, at the line `lineOf` gives. */
export function checkShape(name: string, schema: TSchema, data: unknown, lineOf: (pointer: string) => number | undefined, note = ''): void {
  if (Value.Check(schema, data)) return;
  const errors = [...Value.Errors(schema, data)];
  const first = errors.find((e) => e.keyword !== 'boolean') ?? errors[0];
  if (!first) throw new MappingError(name, '/', `does not match its schema${note}`);
  const extra = (first.params as { additionalProperties?: unknown }).additionalProperties;
  const detail = Array.isArray(extra) ? ` (${extra.join(', ')})` : '';
  // An unknown key: the line of the key itself.
  const at = Array.isArray(extra) && typeof extra[0] === 'string' ? `${first.instancePath}/${extra[0].replaceAll('~', '~0').replaceAll('/', '~1')}` : first.instancePath;
  throw new MappingError(name, first.instancePath || '/', `${first.message}${detail}${note}`, lineOf(at));
}

/** The deepest node on a JSON pointer's way down (map keys by text, list items by index). */
function nodeAt(root: unknown, pointer: string): Node | undefined {
  let node = root as Node | null | undefined;
  if (!node) return undefined;
  for (const raw of pointer.split('/').slice(1)) {
    const seg = raw.replaceAll('~1', '/').replaceAll('~0', '~');
    let next: unknown;
    if (isSeq(node)) next = /^\d+$/.test(seg) ? node.items[Number(seg)] : undefined;
    else if (isMap(node)) next = node.items.find((p) => String((p.key as { value?: unknown } | null)?.value ?? p.key) === seg)?.value;
    if (!next || typeof next !== 'object') break;
    node = next as Node;
  }
  return node;
}

/** sha256 over the bytes of every YAML file of the folder, in name order. */
export function hashFolder(dir: string): string {
  const hash = createHash('sha256');
  for (const name of readdirSync(dir).sort()) {
    const path = join(dir, name);
    if (!name.endsWith('.yaml') || !statSync(path).isFile()) continue;
    hash.update(readFileSync(path));
  }
  return hash.digest('hex');
}
