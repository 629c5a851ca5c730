// CDS Hooks 2.0 bodies as TypeBox components (stable $ids → OpenAPI component names). Request
// schemas check only the envelope the service reads, with open objects and no defaults, on
// the body AJV that never coerces or removes: prefetch holds FHIR resources.

import Type from 'typebox';

const open = { additionalProperties: true } as const;

export const CdsPrefetchTemplates = Type.Record(Type.String(), Type.String(), {
  $id: 'CdsPrefetchTemplates',
  description: 'prefetch key → FHIR query template with {{context.patientId}}',
});

export const CdsService = Type.Object(
  {
    hook: Type.String({ description: 'patient-view' }),
    id: Type.String(),
    title: Type.Optional(Type.String()),
    description: Type.String(),
    prefetch: Type.Optional(Type.Ref('CdsPrefetchTemplates')),
    usageRequirements: Type.Optional(Type.String()),
  },
  { ...open, $id: 'CdsService' },
);

export const CdsDiscovery = Type.Object(
  { services: Type.Array(Type.Ref('CdsService')) },
  { ...open, $id: 'CdsDiscovery', description: 'GET /cds-services' },
);

export const CdsRequest = Type.Object(
  {
    hook: Type.String({ minLength: 1, description: "must be the service's own hook (patient-view)" }),
    hookInstance: Type.String({ format: 'uuid' }),
    fhirServer: Type.Optional(Type.String({ minLength: 1, description: 'base URL; required with fhirAuthorization' })),
    fhirAuthorization: Type.Optional(
      Type.Object(
        {
          access_token: Type.String({ minLength: 1 }),
          token_type: Type.String({ description: 'Bearer' }),
          expires_in: Type.Optional(Type.Number()),
          scope: Type.Optional(Type.String()),
          subject: Type.Optional(Type.String()),
          patient: Type.Optional(Type.String()),
        },
        open,
      ),
    ),
    context: Type.Object(
      {
        userId: Type.Optional(Type.String()),
        patientId: Type.String({ pattern: '^[A-Za-z0-9\\-\\.]{1,64}$', description: 'a FHIR id' }),
        encounterId: Type.Optional(Type.String()),
      },
      open,
    ),
    prefetch: Type.Optional(
      Type.Object({}, { ...open, description: 'key → resource, Bundle, null (no such data) or OperationOutcome (not provided)' }),
    ),
  },
  { ...open, $id: 'CdsRequest', description: 'A CDS Hooks 2.0 call of the patient-view hook' },
);

export const CdsLink = Type.Object(
  {
    label: Type.String(),
    url: Type.String(),
    type: Type.String({ enum: ['absolute', 'smart'] }),
    appContext: Type.Optional(Type.String({ description: 'smart links only: a JSON string passed to the app at launch' })),
  },
  { ...open, $id: 'CdsLink' },
);

const Coding = Type.Object({ system: Type.Optional(Type.String()), code: Type.String(), display: Type.Optional(Type.String()) }, open);

export const CdsCard = Type.Object(
  {
    uuid: Type.String({ format: 'uuid' }),
    summary: Type.String({ maxLength: 139 }),
    detail: Type.Optional(Type.String({ description: 'GitHub-flavoured Markdown' })),
    indicator: Type.String({ enum: ['info', 'warning', 'critical'] }),
    source: Type.Object(
      { label: Type.String(), url: Type.Optional(Type.String()), topic: Type.Optional(Coding) },
      open,
    ),
    overrideReasons: Type.Optional(Type.Array(Coding)),
    links: Type.Optional(Type.Array(Type.Ref('CdsLink'))),
  },
  { ...open, $id: 'CdsCard' },
);

export const CdsResponse = Type.Object(
  { cards: Type.Array(Type.Ref('CdsCard')) },
  { ...open, $id: 'CdsResponse', description: 'One card per study in which the patient is a (potential-)candidate; cards: [] when none' },
);

export const CdsFeedbackRequest = Type.Object(
  {
    feedback: Type.Array(
      Type.Object(
        {
          card: Type.String({ minLength: 1 }),
          outcome: Type.String({ enum: ['accepted', 'overridden'] }),
          outcomeTimestamp: Type.String({ format: 'date-time' }),
          acceptedSuggestions: Type.Optional(Type.Array(Type.Object({ id: Type.String() }, open))),
          overrideReason: Type.Optional(
            Type.Object({ reason: Type.Optional(Coding), userComment: Type.Optional(Type.String()) }, open),
          ),
        },
        open,
      ),
      { minItems: 1 },
    ),
  },
  { ...open, $id: 'CdsFeedbackRequest' },
);

export const CdsFeedbackSummary = Type.Object(
  {
    service: Type.String(),
    study: Type.String(),
    criteria: Type.Array(
      Type.Object(
        {
          criterion: Type.String(),
          seed: Type.String(),
          title: Type.String(),
          cards: Type.Integer({ description: 'cards that put this criterion in front of a clinician' }),
          accepted: Type.Integer(),
          overridden: Type.Integer(),
          overrideRate: Type.Optional(Type.Number({ description: 'overridden / (accepted + overridden); absent without feedback' })),
          overrideReasons: Type.Optional(
            Type.Array(Type.Object({ system: Type.Optional(Type.String()), code: Type.String(), display: Type.Optional(Type.String()), count: Type.Integer() }, open)),
          ),
        },
        open,
      ),
    ),
  },
  { ...open, $id: 'CdsFeedbackSummary', description: 'Per criterion: how often a flagged patient was overridden' },
);

export const CdsTrialsFeedbackSummary = Type.Object(
  {
    service: Type.String({ description: 'trials-prescreen' }),
    studies: Type.Array(Type.Ref('CdsFeedbackSummary'), { description: "each study's summary, as its own service answers it" }),
  },
  { ...open, $id: 'CdsTrialsFeedbackSummary', description: 'Per study: the per-criterion feedback summary' },
);

/** Registered with addSchema on the root, in this order (stable openapi.json). */
export const CDS_COMPONENT_SCHEMAS = [
  CdsPrefetchTemplates,
  CdsService,
  CdsDiscovery,
  CdsRequest,
  CdsLink,
  CdsCard,
  CdsResponse,
  CdsFeedbackRequest,
  CdsFeedbackSummary,
  CdsTrialsFeedbackSummary,
];
