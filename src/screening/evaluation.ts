// What one screening produces, before rendering: the same object for every transport.

import type { IsoDay } from '../fhir/dates.js';
import type { CriterionEvaluation } from '../criteria/types.js';

export type SubjectStatus = 'candidate' | 'potential-candidate' | 'ineligible';

export const SUBJECT_STATUSES: readonly SubjectStatus[] = ['candidate', 'potential-candidate', 'ineligible'];

export interface Evaluation {
  studyId: string;
  /** `Patient/<id>` as the input gave it. */
  patientRef: string;
  patientId: string;
  asOf: IsoDay;
  criteriaVersion: string;
  status: SubjectStatus;
  /** When every failing criterion has a clearsOn: the latest of them. */
  eligibleFrom?: IsoDay;
  /** Every criterion of the study once, in protocol order (study.yaml). */
  criteria: CriterionEvaluation[];
}
