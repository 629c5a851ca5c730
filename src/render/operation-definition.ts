// The two $screen OperationDefinitions. R4 gives an operation one parameter list for every
// level it is invoked at, and the type-level $screen takes another parameter (study) and
// returns another type (a Bundle, not a ResearchSubject), so it has a definition of its own
// with the same code: ResearchStudy-screen is instance-only, ResearchStudy-screen-all
// type-only.

import { screenAllOperationUrl, screenOperationUrl } from './canonical-urls.js';
import type { Resource } from './fhir-shapes.js';

export const SCREEN_OPERATION_ID = 'ResearchStudy-screen';
export const SCREEN_ALL_OPERATION_ID = 'ResearchStudy-screen-all';

const BUNDLE_PARAMETER = {
  name: 'bundle',
  use: 'in',
  min: 1,
  max: '1',
  documentation: "The patient's data: a Bundle of any type with one Patient and its resources.",
  type: 'Bundle',
};

const AS_OF_PARAMETER = {
  name: 'asOf',
  use: 'in',
  min: 0,
  max: '1',
  documentation: 'The screening date (default: today, UTC). Must equal the asOf query parameter when both are given.',
  type: 'date',
};

export function renderScreenOperationDefinition(context: { canonicalBase: string }): Resource {
  return {
    resourceType: 'OperationDefinition',
    id: SCREEN_OPERATION_ID,
    url: screenOperationUrl(context.canonicalBase),
    name: 'Screen',
    title: 'Pre-screen one patient for a research study',
    status: 'active',
    kind: 'operation',
    description:
      'Evaluates every eligibility criterion of the study against the patient data in the Bundle and ' +
      'returns a ResearchSubject with status ineligible, potential-candidate or candidate. The result is ' +
      'stored (replacing any earlier result for the same study and patient), so there is no GET form. ' +
      'With Content-Type application/fhir+ndjson the body holds one Bundle per line and the answer ' +
      'streams one ResearchSubject (or OperationOutcome) per line, in input order.',
    // Results are stored: a GET must not change state.
    affectsState: true,
    code: 'screen',
    resource: ['ResearchStudy'],
    system: false,
    type: false,
    instance: true,
    parameter: [
      BUNDLE_PARAMETER,
      AS_OF_PARAMETER,
      {
        name: 'return',
        use: 'out',
        min: 1,
        max: '1',
        documentation: 'The screening result.',
        type: 'ResearchSubject',
      },
    ],
  };
}

export function renderScreenAllOperationDefinition(context: { canonicalBase: string }): Resource {
  return {
    resourceType: 'OperationDefinition',
    id: SCREEN_ALL_OPERATION_ID,
    url: screenAllOperationUrl(context.canonicalBase),
    name: 'ScreenAll',
    title: 'Pre-screen one patient for every research study',
    status: 'active',
    kind: 'operation',
    description:
      'POST ResearchStudy/$screen: reads the patient data in the Bundle once and evaluates it against every study this ' +
      'service screens for (or those the study parameter names), returning a collection Bundle with one ResearchSubject per ' +
      'study in the order of the ResearchStudy search. Each is the ResearchSubject that ResearchStudy/{id}/$screen returns ' +
      'for the same data and date, and is stored as that operation stores it; the results are stored together or not at ' +
      'all, so there is no GET form. With Content-Type application/fhir+ndjson the body holds one Bundle per line and the ' +
      'answer streams one Bundle (or OperationOutcome) per line, in input order.',
    affectsState: true,
    code: 'screen',
    resource: ['ResearchStudy'],
    system: false,
    type: true,
    instance: false,
    parameter: [
      BUNDLE_PARAMETER,
      AS_OF_PARAMETER,
      {
        name: 'study',
        use: 'in',
        min: 0,
        max: '1',
        documentation:
          'In the URL only (study=a,b): the ids of the studies to screen for, comma-separated, each once; default every study. ' +
          'An id this service does not screen is a 404 that lists those it does.',
        type: 'string',
      },
      {
        name: 'return',
        use: 'out',
        min: 1,
        max: '1',
        documentation: 'A collection Bundle: one ResearchSubject per study, each entry with the fullUrl it is read at.',
        type: 'Bundle',
      },
    ],
  };
}

/** Every OperationDefinition served at GET /OperationDefinition/{id}, by id. */
export function renderOperationDefinitions(context: { canonicalBase: string }): ReadonlyMap<string, Resource> {
  return new Map([
    [SCREEN_OPERATION_ID, renderScreenOperationDefinition(context)],
    [SCREEN_ALL_OPERATION_ID, renderScreenAllOperationDefinition(context)],
  ]);
}
