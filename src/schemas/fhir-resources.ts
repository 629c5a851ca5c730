// The FHIR shapes as the OpenAPI document shows them. These describe; they do not filter:
// responses go out through JSON.stringify, and a body schema checks only
// the envelope (rule 9), so every object here stays open to the fields FHIR allows.

import Type from 'typebox';

const open = { additionalProperties: true } as const;

export const Reference = Type.Object({ reference: Type.String() }, { ...open, $id: 'Reference' });

export const Extension = Type.Object(
  {
    url: Type.String({ description: 'absolute for the outer extension; a name for child extensions' }),
    extension: Type.Optional(Type.Array(Type.Object({ url: Type.String() }, open))),
  },
  { ...open, $id: 'Extension', description: 'value[x] or child extensions, never both [ext-1]' },
);

export const OperationOutcome = Type.Object(
  {
    resourceType: Type.Literal('OperationOutcome'),
    issue: Type.Array(
      Type.Object(
        {
          severity: Type.String({ enum: ['fatal', 'error', 'warning', 'information'] }),
          code: Type.String({ description: 'FHIR issue-type code' }),
          details: Type.Optional(
            Type.Object(
              {
                coding: Type.Optional(Type.Array(Type.Object({ system: Type.String(), code: Type.String() }, open))),
                text: Type.Optional(Type.String()),
              },
              open,
            ),
          ),
          expression: Type.Optional(Type.Array(Type.String({ description: 'FHIRPath, e.g. Bundle.entry[2].resource' }))),
        },
        open,
      ),
      { minItems: 1 },
    ),
  },
  { ...open, $id: 'OperationOutcome', description: 'Every error body' },
);

export const ResearchSubject = Type.Object(
  {
    resourceType: Type.Literal('ResearchSubject'),
    id: Type.String({ pattern: '^[A-Za-z0-9\\-\\.]{1,64}$' }),
    meta: Type.Optional(Type.Object({ lastUpdated: Type.Optional(Type.String()) }, open)),
    extension: Type.Array(Type.Ref('Extension'), {
      description: 'one eligibility-evaluation extension: asOf, criteriaVersion, eligibleFrom?, one criterion per criterion',
    }),
    status: Type.String({ enum: ['ineligible', 'potential-candidate', 'candidate'] }),
    study: Type.Ref('Reference'),
    individual: Type.Ref('Reference'),
  },
  { ...open, $id: 'ResearchSubject', description: 'A screening result (api.md)' },
);

export const ResearchStudy = Type.Object(
  {
    resourceType: Type.Literal('ResearchStudy'),
    id: Type.String(),
    title: Type.Optional(Type.String()),
    status: Type.String(),
    contained: Type.Optional(Type.Array(Type.Object({ resourceType: Type.String() }, open))),
    enrollment: Type.Optional(Type.Array(Type.Ref('Reference'))),
  },
  { ...open, $id: 'ResearchStudy', description: 'A study; its criteria are the contained Group #criteria' },
);

export const Bundle = Type.Object(
  {
    resourceType: Type.Literal('Bundle'),
    type: Type.String(),
    total: Type.Optional(Type.Integer({ minimum: 0 })),
    link: Type.Optional(Type.Array(Type.Object({ relation: Type.String(), url: Type.String() }, open))),
    entry: Type.Optional(Type.Array(Type.Object({}, open))),
  },
  { ...open, $id: 'Bundle', description: 'A FHIR R4 Bundle' },
);

export const CapabilityStatement = Type.Object(
  { resourceType: Type.Literal('CapabilityStatement'), fhirVersion: Type.String() },
  { ...open, $id: 'CapabilityStatement' },
);

export const OperationDefinition = Type.Object(
  { resourceType: Type.Literal('OperationDefinition'), code: Type.String() },
  { ...open, $id: 'OperationDefinition' },
);

/**
 * The $screen body envelope: only resourceType is checked here. Everything inside is ingest's
 * business, which answers with a precise code and expression instead of a generic 400.
 */
export const ScreenBody = Type.Object(
  { resourceType: Type.String({ enum: ['Bundle', 'Parameters'] }) },
  {
    ...open,
    $id: 'ScreenBody',
    description:
      'A Bundle (any type) with one Patient and its resources, or a Parameters resource with a "bundle" resource parameter and an optional "asOf" valueDate',
  },
);

export const Health = Type.Object({ status: Type.String() }, { ...open, $id: 'Health' });

/** Registered with addSchema in this order, so component names in openapi.json are stable. */
export const COMPONENT_SCHEMAS = [
  Reference,
  Extension,
  OperationOutcome,
  ResearchSubject,
  ResearchStudy,
  Bundle,
  CapabilityStatement,
  OperationDefinition,
  ScreenBody,
  Health,
];
