// The one entry point every transport calls: HTTP $screen, CDS Hooks and the nightly batch
// all screen through here, so they cannot give different answers for the same data.

import type { IsoDay } from '../fhir/dates.js';
import type { CriterionEvaluation, CriterionOutcome } from '../criteria/types.js';
import type { PatientRecord } from '../ingest/patient-record.js';
import type { Evaluation } from './evaluation.js';
import { eligibleFrom, subjectStatus } from './status.js';
import type { ScreeningStudy } from './study-registry.js';

export function screenPatient(study: ScreeningStudy, record: PatientRecord, asOf: IsoDay): Evaluation {
  const model = study.mapping.buildModel(record, asOf);
  const criteria: CriterionEvaluation[] = study.criteria.map((criterion) => {
    const o: CriterionOutcome = criterion.evaluate(model);
    // Field by field, in the contract's order: a spread of each outcome costs more than most criteria.
    const c: CriterionEvaluation = { id: criterion.id, type: criterion.type, result: o.result, manual: o.manual, reason: o.reason, evidence: o.evidence, missingData: o.missingData };
    if (o.clearsOn !== undefined) c.clearsOn = o.clearsOn;
    return c;
  });
  const evaluation: Evaluation = {
    studyId: study.mapping.id,
    patientRef: record.patient.ref,
    patientId: record.patientId,
    asOf,
    criteriaVersion: study.criteriaVersion,
    status: subjectStatus(criteria),
    criteria,
  };
  const from = eligibleFrom(criteria);
  if (from) evaluation.eligibleFrom = from;
  return evaluation;
}
