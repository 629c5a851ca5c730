// Path and query shapes. Querystrings may be coerced: they are ours, not FHIR
// bodies.

import Type from 'typebox';

const format = Type.Optional(
  Type.String({ description: 'json, application/json or application/fhir+json; overrides Accept' }),
);

export const StudyParams = Type.Object({ study: Type.String({ description: 'the study id: the name of its folder under the mappings folder (GET /ResearchStudy lists them)' }) });

export const IdParams = Type.Object({ id: Type.String({ description: 'the resource id' }) });

export const FormatQuery = Type.Object({ _format: format });

export const ScreenQuery = Type.Object({
  asOf: Type.Optional(Type.String({ description: 'the screening date YYYY-MM-DD (default: today, UTC)' })),
  _format: format,
});

export const ScreenEveryStudyQuery = Type.Object({
  study: Type.Optional(
    Type.String({ description: 'the studies to screen for, comma-separated ids (or ResearchStudy/<id>), each once; default: every study' }),
  ),
  ...ScreenQuery.properties,
});

/** The largest page: a larger _count is capped to it, as FHIR servers do (the page links say so). */
export const MAX_PAGE = 100;

export const SubjectSearchQuery = Type.Object({
  study: Type.Optional(Type.String({ description: 'ResearchStudy/<id> or <id>' })),
  status: Type.Optional(Type.String({ description: 'comma-separated: ineligible, potential-candidate, candidate' })),
  patient: Type.Optional(Type.String({ description: 'Patient/<id> or <id>' })),
  _count: Type.Optional(Type.Integer({ minimum: 0, description: `page size, default 20; above ${MAX_PAGE} it is ${MAX_PAGE}` })),
  _offset: Type.Optional(Type.Integer({ minimum: 0, description: 'entries to skip' })),
  _lastUpdated: Type.Optional(
    Type.String({ pattern: '^ge\\d{4}', description: 'ge<date or instant>: only results stored at or after it' }),
  ),
  'held-by': Type.Optional(
    Type.String({ pattern: '^[a-z0-9-]{1,64}$', description: 'a criterion id: only results whose one failing criterion is this one' }),
  ),
  changed: Type.Optional(
    Type.Boolean({ description: 'true: only results changed by the latest nightly run (new, status or a criterion result differs), or screened since it' }),
  ),
  _format: format,
});
