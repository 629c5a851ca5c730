// What the store keeps for one rendered ResearchSubject.

import type { ResearchSubjectResource } from '../render/research-subject.js';
import type { Evaluation } from '../screening/evaluation.js';
import type { ResourceJson } from '../storage/resource-json.js';
import type { NewSubject, NewSubjectJson } from '../storage/store.js';

/** The searched columns, the same whichever form the resource comes in. */
function subjectColumns(evaluation: Evaluation, id: string): Omit<NewSubject, 'resource'> {
  return {
    id,
    studyId: evaluation.studyId,
    patientRef: evaluation.patientRef,
    status: evaluation.status,
    asOf: evaluation.asOf,
    criteriaVersion: evaluation.criteriaVersion,
  };
}

export function toStoredSubject(evaluation: Evaluation, resource: ResearchSubjectResource): NewSubject {
  return { ...subjectColumns(evaluation, resource.id), resource: resource as unknown as Record<string, unknown> };
}

/** The same, for a ResearchSubject already rendered to JSON text (a CDS screening thread's). */
export function toStoredSubjectJson(evaluation: Evaluation, id: string, resourceJson: ResourceJson): NewSubjectJson {
  return { ...subjectColumns(evaluation, id), resourceJson };
}
