// The $screen OperationDefinition.

import { screenOperationUrl } from './canonical-urls.js';
import type { Resource } from './fhir-shapes.js';

export const SCREEN_OPERATION_ID = 'ResearchStudy-screen';

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
      {
        name: 'bundle',
        use: 'in',
        min: 1,
        max: '1',
        documentation: "The patient's data: a Bundle of any type with one Patient and its resources.",
        type: 'Bundle',
      },
      {
        name: 'asOf',
        use: 'in',
        min: 0,
        max: '1',
        documentation: 'The screening date (default: today, UTC). Must equal the asOf query parameter when both are given.',
        type: 'date',
      },
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
