// Candidate lines ↔ the resource store (migration 040). Lines were checked when gathered;
// each is keyed by its Type/id from a scan of its top-level members (top-level-members.ts),
// parsed only when the scan cannot tell.

import { createHash } from 'node:crypto';
import type { StoredResourceGroup } from '../storage/run-store.js';
import { topLevelStrings } from './top-level-members.js';

const KEY_MEMBERS = ['resourceType', 'id'] as const;

export function storedGroup(patientId: string, lines: readonly string[]): StoredResourceGroup {
  const seen = new Set<string>();
  const resources: StoredResourceGroup['resources'] = [];
  for (const line of lines) {
    const key = typeAndId(line);
    if (!key) continue;
    const k = `${key.type}/${key.id}`;
    if (seen.has(k)) continue; // the same resource twice (e.g. one Medication from two records)
    seen.add(k);
    resources.push({ ...key, line });
  }
  return { patientId, resources };
}

export function typeAndId(line: string): { type: string; id: string } | undefined {
  const [type, id] = topLevelStrings(line, KEY_MEMBERS);
  if (typeof type === 'string' && typeof id === 'string') return keyOf(line, type, id);
  return parsedTypeAndId(line);
}

/** The same answer from the parsed line: for what the scan leaves undecided. */
export function parsedTypeAndId(line: string): { type: string; id: string } | undefined {
  let value: unknown;
  try {
    value = JSON.parse(line);
  } catch {
    return undefined;
  }
  return typeAndIdOf(value, line);
}

/** The key of a line already parsed into `value` (the delta merge decodes every line anyway). */
export function typeAndIdOf(value: unknown, line: string): { type: string; id: string } | undefined {
  if (typeof value !== 'object' || value === null) return undefined;
  const { resourceType, id } = value as { resourceType?: unknown; id?: unknown };
  if (typeof resourceType !== 'string') return undefined;
  return keyOf(line, resourceType, typeof id === 'string' ? id : undefined);
}

function keyOf(line: string, type: string, id: string | undefined): { type: string; id: string } | undefined {
  // A record's keys are newline-separated: a type with a control character is not stored.
  if (/[\u0000-\u001f]/.test(type)) return undefined;
  // Bulk resources carry ids; one without gets a stable stand-in from its text.
  return { type, id: id ?? `sha1-${createHash('sha1').update(line).digest('hex')}` };
}
