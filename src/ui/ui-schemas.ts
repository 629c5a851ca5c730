// TypeBox shapes of the worklist page's JSON API (bodies are ours, not FHIR, but are checked by
// the same no-coercion validator as every body).

import Type from 'typebox';
import { DECISION_KINDS } from '../storage/decision-store.js';

export const NOTE_MAX = 2000;

export const SubjectParams = Type.Object({ id: Type.String({ description: 'the ResearchSubject id' }) });
export const StudyParams = Type.Object({ study: Type.String({ description: 'the study id: the name of its folder under the mappings folder (GET /ResearchStudy lists them)' }) });

export const DecisionBody = Type.Object(
  {
    decision: Type.Union(
      DECISION_KINDS.map((k) => Type.Literal(k)),
      { description: DECISION_KINDS.join(', ') },
    ),
    criterion: Type.Optional(
      Type.String({ pattern: '^[a-z0-9-]{1,64}$', description: 'screen-failed only: the criterion id that failed' }),
    ),
    note: Type.Optional(Type.String({ maxLength: NOTE_MAX, description: `free text, at most ${NOTE_MAX} characters` })),
  },
  { additionalProperties: false },
);

export const DecisionsQuery = Type.Object({
  subject: Type.String({ description: 'comma-separated ResearchSubject ids (at most 100)' }),
});

export const RunsQuery = Type.Object({
  limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 200, description: 'runs to list, newest first (default 20)' })),
});

export const Decision = Type.Object(
  {
    id: Type.String(),
    subjectId: Type.String(),
    studyId: Type.String(),
    decision: Type.String(),
    criterionId: Type.Optional(Type.String()),
    criterionResult: Type.Optional(Type.String({ description: 'what the service had said of criterionId: met, not-met or unknown' })),
    subjectVersion: Type.Integer({ description: 'the ResearchSubject meta.versionId the coordinator saw' }),
    note: Type.Optional(Type.String()),
    decidedBy: Type.Optional(Type.String()),
    decidedAt: Type.String({ description: 'ISO instant (UTC)' }),
  },
  { $id: 'CoordinatorDecision' },
);

export const SeveralStudiesQuery = Type.Object({
  study: Type.Optional(Type.String({ description: 'a study id: only patients for whom it is one of the two or more' })),
  _count: Type.Optional(Type.Integer({ minimum: 0, description: 'patients per page, default 20; above 100 it is 100' })),
  _offset: Type.Optional(Type.Integer({ minimum: 0, description: 'patients to skip' })),
});

export const PatientResultsQuery = Type.Object({
  patient: Type.String({ description: 'Patient/<id> or <id>' }),
});
