// What the store keeps for one rendered ResearchSubject.

import type { ResearchSubjectResource } from '../render/research-subject.js';
import type { Evaluation } from '../screening/evaluation.js';
import type { StoredSubject } from '../storage/store.js';

export function toStoredSubject(evaluation: Evaluation, resource: ResearchSubjectResource): Omit<StoredSubject, 'lastUpdated'> {
  return {
    id: resource.id,
    studyId: evaluation.studyId,
    patientRef: evaluation.patientRef,
    status: evaluation.status,
    asOf: evaluation.asOf,
    criteriaVersion: evaluation.criteriaVersion,
    resource: resource as unknown as Record<string, unknown>,
  };
}
