// Reading a study folder's YAML: one file parsed and checked against its TypeBox shape
// (MappingError names file and path), and the hash of the whole folder that goes into
// criteriaVersion. Kept apart from load-study.ts, which compiles the mapping, so that a process
// needing only a study's identity (the nightly finder's main thread) reads it without loading
// the compiler, fhirpath.js and UCUM.

import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import type { TSchema } from 'typebox';
import { Value } from 'typebox/value';
import { parse } from 'yaml';
import { MappingError } from './mapping-error.js';

export function readChecked(dir: string, name: string, schema: TSchema): { data: unknown; bytes: Buffer } {
  const path = join(dir, name);
  if (!existsSync(path)) throw new MappingError(name, '', `file is missing from ${dir}`);
  const bytes = readFileSync(path);
  let data: unknown;
  try {
    data = parse(bytes.toString('utf8'), { uniqueKeys: true });
  } catch (err) {
    const why = err instanceof Error ? err.message.split('\n')[0] : String(err);
    throw new MappingError(name, '', `not valid YAML: ${why}`);
  }
  if (data === null || data === undefined) throw new MappingError(name, '', 'file is empty');
  if (!Value.Check(schema, data)) {
    const errors = [...Value.Errors(schema, data)];
    const first = errors.find((e) => e.keyword !== 'boolean') ?? errors[0];
    if (!first) throw new MappingError(name, '/', 'does not match its schema');
    const extra = (first.params as { additionalProperties?: unknown }).additionalProperties;
    const detail = Array.isArray(extra) ? ` (${extra.join(', ')})` : '';
    throw new MappingError(name, first.instancePath || '/', `${first.message}${detail}`);
  }
  return { data, bytes };
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
