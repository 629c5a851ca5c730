// The value-set ids the codes of a CodeableConcept (or a list of them) belong to: what a
// coded Observation value or a FamilyMemberHistory condition is matched by.

import { key, type CompiledStudy } from './compiled-study.js';
import { readCodings } from './fhir-values.js';

const PREFIX = key.valueSet('');

export function valueSetIdsOf(study: CompiledStudy, code: unknown): string[] {
  const out: string[] = [];
  for (const c of readCodings(code)) {
    for (const k of study.index.match(c.system, c.code)) {
      if (k.startsWith(PREFIX) && !out.includes(k.slice(PREFIX.length))) out.push(k.slice(PREFIX.length));
    }
  }
  return out;
}
