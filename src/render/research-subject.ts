// Renders one Evaluation as the ResearchSubject the API answers. The same function serves every
// transport, so an HTTP answer, a CDS card's source and a nightly row never disagree.

import { createHash } from 'node:crypto';
import type { CriterionEvaluation } from '../criteria/types.js';
import type { Evaluation, SubjectStatus } from '../screening/evaluation.js';
import { eligibilityExtensionUrl } from './canonical-urls.js';
import type { Extension, Meta, Reference } from './fhir-shapes.js';

export interface ResearchSubjectResource {
  resourceType: 'ResearchSubject';
  id: string;
  meta?: Meta;
  extension: Extension[];
  status: SubjectStatus;
  study: Reference;
  individual: Reference;
  [key: string]: unknown;
}

export interface RenderContext {
  canonicalBase: string;
}

/**
 * Stable for the same study and patient (the latest screening replaces the earlier),
 * so re-screening upserts one row. Hashed rather than concatenated: patient ids may be full
 * URLs, and a FHIR id allows only `[A-Za-z0-9\-.]{1,64}`.
 */
export function researchSubjectId(studyId: string, patientRef: string): string {
  return createHash('sha256').update(studyId).update('\0').update(patientRef).digest('hex').slice(0, 40);
}

function criterionExtension(c: CriterionEvaluation): Extension {
  const parts: Extension[] = [
    { url: 'id', valueCode: c.id },
    { url: 'type', valueCode: c.type },
    { url: 'result', valueCode: c.result },
    { url: 'manual', valueBoolean: c.manual },
  ];
  if (c.reason) parts.push({ url: 'reason', valueString: printable(c.reason) });
  for (const ref of c.evidence) parts.push({ url: 'evidence', valueReference: { reference: printable(ref) } });
  for (const missing of c.missingData) {
    parts.push({ url: 'missingData', valueString: printable(missing.text) });
    // Right after its text, so a reader can pair each query with what it fetches.
    if (missing.query) parts.push({ url: 'missingDataQuery', valueString: printable(missing.query) });
  }
  if (c.clearsOn) parts.push({ url: 'clearsOn', valueDate: c.clearsOn });
  return { url: 'criterion', extension: parts };
}

export function renderResearchSubject(evaluation: Evaluation, context: RenderContext): ResearchSubjectResource {
  const evaluationParts: Extension[] = [
    { url: 'asOf', valueDate: evaluation.asOf },
    { url: 'criteriaVersion', valueString: evaluation.criteriaVersion },
  ];
  if (evaluation.eligibleFrom) evaluationParts.push({ url: 'eligibleFrom', valueDate: evaluation.eligibleFrom });
  for (const c of evaluation.criteria) evaluationParts.push(criterionExtension(c));

  return {
    resourceType: 'ResearchSubject',
    id: researchSubjectId(evaluation.studyId, evaluation.patientRef),
    extension: [{ url: eligibilityExtensionUrl(context.canonicalBase), extension: evaluationParts }],
    status: evaluation.status,
    study: { reference: `ResearchStudy/${evaluation.studyId}` },
    individual: { reference: printable(evaluation.patientRef) },
  };
}

/**
 * Reasons and references carry text from the input (a display, a valueString, an id). A control
 * character or an unpaired surrogate there is not valid in a FHIR string, and PostgreSQL's jsonb refuses NUL outright, so
 * they are shown as U+FFFD rather than failing the request after screening succeeded.
 */
// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u0008\u000B\u000C\u000E-\u001F]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

/** Any control character or surrogate at all: the cheap test that nearly every string passes. */
// eslint-disable-next-line no-control-regex
const MAYBE_UNPRINTABLE = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uD800-\uDFFF]/;

function printable(text: string): string {
  return MAYBE_UNPRINTABLE.test(text) ? text.replace(CONTROL, '\uFFFD') : text;
}
