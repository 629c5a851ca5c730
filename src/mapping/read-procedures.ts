// Procedure → ProcedureRecord (hysterectomy, oophorectomy, muscle biopsy, limb MRI). Dropped:
// entered-in-error, and not-done (it did not happen).

import type { RecordEntry } from '../ingest/patient-record.js';
import type { CompiledStudy } from './compiled-study.js';
import { Extraction } from './fhirpath-extract.js';
import { readDate, readPeriod } from './fhir-values.js';
import type { CodingRef, ProcedureRecord } from './model.js';

const NOT_COUNTED = new Set(['entered-in-error', 'not-done']);

export function readProcedure(study: CompiledStudy, entry: RecordEntry, concepts: string[], coding: CodingRef): ProcedureRecord | undefined {
  const x = new Extraction(study.extract.Procedure, entry.resource);
  const status = x.firstString('status');
  if (status && NOT_COUNTED.has(status)) return undefined;
  const p: ProcedureRecord = { ref: entry.ref, concepts, coding };
  if (status) p.status = status;
  const performed = x.one('performed');
  if (typeof performed === 'string') {
    const d = readDate(performed, 'performedDateTime', x.problems);
    if (d) {
      p.start = d;
      p.end = d;
    }
  } else if (performed !== undefined) {
    const period = readPeriod(performed, 'performedPeriod', x.problems);
    if (period.start) p.start = period.start;
    if (period.end) p.end = period.end;
  }
  return p;
}
