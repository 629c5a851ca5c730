// FamilyMemberHistory → FamilyHistoryRecord, when a condition[].code is in a study value set
// (medullary thyroid carcinoma in a parent). Dropped: status entered-in-error. The relationship
// codings are kept as sent: which relatives count is the rule's to say (kit block
// `family-history`). The record is dated by FamilyMemberHistory.date, when it has one.

import type { RecordEntry } from '../ingest/patient-record.js';
import type { CompiledStudy } from './compiled-study.js';
import { Extraction } from './fhirpath-extract.js';
import { isRecord, readCodings, readDate } from './fhir-values.js';
import type { FamilyHistoryRecord } from './model.js';
import { valueSetIdsOf } from './value-set-ids.js';

/** The value sets of the conditions' codes: a plain JSON read, before any FHIRPath. */
function conditionConcepts(study: CompiledStudy, conditions: unknown): string[] {
  if (!Array.isArray(conditions)) return [];
  const out: string[] = [];
  for (const c of conditions) {
    if (!isRecord(c)) continue;
    for (const id of valueSetIdsOf(study, c['code'])) if (!out.includes(id)) out.push(id);
  }
  return out;
}

export function readFamilyHistory(study: CompiledStudy, entry: RecordEntry): FamilyHistoryRecord | undefined {
  const concepts = conditionConcepts(study, entry.resource['condition']);
  if (concepts.length === 0) return undefined;
  const x = new Extraction(study.extract.FamilyMemberHistory, entry.resource);
  const status = x.firstString('status');
  if (status === 'entered-in-error') return undefined;
  const f: FamilyHistoryRecord = { ref: entry.ref, concepts, relationship: [...readCodings(x.all('relationship'))] };
  if (status) f.status = status;
  const date = readDate(x.one('date'), 'date', x.problems);
  if (date) f.date = date;
  return f;
}
