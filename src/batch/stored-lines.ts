// Candidate lines ↔ the resource store (migration 040). Lines were checked when gathered;
// parsing them again here costs only the candidates' bytes and gives each its Type/id.

import { createHash } from 'node:crypto';
import type { StoredResourceGroup } from '../storage/run-store.js';

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
  let value: unknown;
  try {
    value = JSON.parse(line);
  } catch {
    return undefined;
  }
  if (typeof value !== 'object' || value === null) return undefined;
  const { resourceType, id } = value as { resourceType?: unknown; id?: unknown };
  // A record's keys are newline-separated: a type with a control character is not stored.
  if (typeof resourceType !== 'string' || /[\u0000-\u001f]/.test(resourceType)) return undefined;
  // Bulk resources carry ids; one without gets a stable stand-in from its text.
  return { type: resourceType, id: typeof id === 'string' ? id : `sha1-${createHash('sha1').update(line).digest('hex')}` };
}
