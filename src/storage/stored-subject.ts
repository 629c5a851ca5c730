// One screening result → the ResearchSubject row the store keeps, for every transport: $screen
// (http/screen-one.ts), CDS Hooks (cds-hooks/service-route.ts, from the request thread's
// resource or a screening thread's JSON text) and the nightly finder (batch/run-result.ts). The
// searched columns come from the screening, the resource is the rendered ResearchSubject, so the
// three store the same row for the same patient, study, day and criteria.

import type { ResearchSubjectResource } from '../render/research-subject.js';
import type { Evaluation } from '../screening/evaluation.js';
import type { ResourceJson } from './resource-json.js';
import type { NewSubject, NewSubjectJson } from './store.js';

/** What a row's searched columns read of a screening (an Evaluation has it all). */
export type SubjectScreening = Pick<Evaluation, 'studyId' | 'patientRef' | 'status' | 'asOf' | 'criteriaVersion'>;

/** The searched columns, the same whichever form the resource comes in. */
function subjectColumns(screening: SubjectScreening, id: string): Omit<NewSubject, 'resource'> {
  return {
    id,
    studyId: screening.studyId,
    patientRef: screening.patientRef,
    status: screening.status,
    asOf: screening.asOf,
    criteriaVersion: screening.criteriaVersion,
  };
}

export function toStoredSubject(screening: SubjectScreening, resource: ResearchSubjectResource): NewSubject {
  return { ...subjectColumns(screening, resource.id), resource: resource as unknown as Record<string, unknown> };
}

/** The same, for a ResearchSubject already rendered to JSON text (a CDS screening thread's). */
export function toStoredSubjectJson(screening: SubjectScreening, id: string, resourceJson: ResourceJson): NewSubjectJson {
  return { ...subjectColumns(screening, id), resourceJson };
}
