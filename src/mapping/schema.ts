// TypeBox shapes of the files in fhir-mappings/<study>/. The loader checks every file against
// its shape before it reads a field, so a typo in a site's edit fails at start-up, not mid-screen.

import { Type, type Static } from 'typebox';

const Text = Type.String({ minLength: 1 });
const Strings = Type.Array(Text);
const Route = Type.Union([
  Type.Literal('oral'),
  Type.Literal('iv'),
  Type.Literal('im'),
  Type.Literal('sc'),
  Type.Literal('parenteral'),
  Type.Literal('non-systemic'),
  Type.Literal('other'),
]);

/** One row of a value set: exactly one of code/codes/prefix/prefixes/range/regex. */
export const CodeRow = Type.Object(
  {
    system: Text,
    code: Type.Optional(Text),
    codes: Type.Optional(Type.Array(Text, { minItems: 1 })),
    prefix: Type.Optional(Text),
    prefixes: Type.Optional(Type.Array(Text, { minItems: 1 })),
    range: Type.Optional(Type.Tuple([Text, Text])),
    sixthCharacter: Type.Optional(Type.String({ minLength: 1, maxLength: 1 })),
    regex: Type.Optional(Text),
    display: Type.Optional(Type.String()),
    src: Text,
    note: Type.Optional(Type.String()),
    impliesRoute: Type.Optional(Route),
  },
  { additionalProperties: false },
);
export type CodeRow = Static<typeof CodeRow>;

const Rows = Type.Array(CodeRow, { minItems: 1 });

export const ValueSetsFile = Type.Record(
  Type.String(),
  Type.Object(
    { title: Text, note: Type.Optional(Type.String()), include: Rows, exclude: Type.Optional(Rows) },
    { additionalProperties: false },
  ),
);
export type ValueSetsFile = Static<typeof ValueSetsFile>;

export const SystemsFile = Type.Record(Type.String(), Text);

export const StudyFile = Type.Object(
  {
    id: Type.String({ pattern: '^[a-z0-9][a-z0-9-]*$' }),
    title: Text,
    /** A short name for lists and ResearchStudy. */
    acronym: Type.Optional(Text),
    description: Text,
    /** Some criteria are written in TypeScript, in src/criteria/<id>/ (screening/typescript-criteria.ts). */
    typescriptCriteria: Type.Optional(Type.Boolean()),
    /** The entry criterion: the nightly finder's prefilter reads its value sets (screening/study-identity.ts). */
    entry: Type.String({ pattern: '^inc-[a-z0-9-]+$' }),
    criteria: Type.Array(
      Type.Object(
        {
          id: Type.String({ pattern: '^(inc|exc)-[a-z0-9-]+$' }),
          type: Type.Union([Type.Literal('inclusion'), Type.Literal('exclusion')]),
          seed: Type.String({ pattern: '^[IE][0-9]+$' }),
          title: Text,
          missingData: Type.Union([Type.Literal('open'), Type.Literal('closed'), Type.Literal('manual')]),
          /** A kit rule (criteria/kit/rule.ts), checked by the kit when the study is loaded. */
          rule: Type.Optional(Type.Unknown()),
        },
        { additionalProperties: false },
      ),
      { minItems: 1 },
    ),
  },
  { additionalProperties: false },
);
export type StudyFile = Static<typeof StudyFile>;

export const Agent = Type.Object(
  {
    names: Type.Array(Text, { minItems: 1 }),
    synonyms: Type.Optional(Strings),
    groups: Type.Array(Text, { minItems: 1 }),
    prednisoneFactor: Type.Optional(Type.Number({ exclusiveMinimum: 0 })),
    systemicOnly: Type.Optional(Type.Boolean()),
    groupsByRoute: Type.Optional(Type.Record(Type.String(), Strings)),
    targets: Type.Optional(Strings),
    codes: Rows,
  },
  { additionalProperties: false },
);
export type Agent = Static<typeof Agent>;

export const MedicationsFile = Type.Object(
  {
    agents: Type.Record(Type.String(), Agent),
    classes: Type.Record(
      Type.String(),
      Type.Object(
        {
          title: Text,
          names: Type.Optional(Strings),
          nameSuffix: Type.Optional(Type.String({ pattern: '^[a-z]+$' })),
          codes: Rows,
        },
        { additionalProperties: false },
      ),
    ),
    adverseReaction: Type.Object({ words: Type.Array(Text, { minItems: 1 }), codes: Rows }, { additionalProperties: false }),
  },
  { additionalProperties: false },
);
export type MedicationsFile = Static<typeof MedicationsFile>;

export const Lab = Type.Object(
  {
    display: Text,
    unit: Type.Optional(Text),
    defaultUln: Type.Optional(Type.Number({ exclusiveMinimum: 0 })),
    molarFactor: Type.Optional(Type.Number({ exclusiveMinimum: 0 })),
    perAmountMolarMass: Type.Optional(Type.Number({ exclusiveMinimum: 0 })),
    unitRequired: Type.Optional(Type.Boolean()),
    unitAliases: Type.Optional(Type.Record(Type.String(), Text)),
    qualitative: Type.Optional(Type.Boolean()),
    msa: Type.Optional(Type.Boolean()),
    titre: Type.Optional(Type.Boolean()),
    detectable: Type.Optional(Type.Boolean()),
    /** A number in `unit`, or a threshold of thresholds.yaml named `group.field`. */
    positiveAtOrAbove: Type.Optional(Type.Union([Type.Number(), Type.String({ pattern: '^[a-z0-9-]+\\.[A-Za-z0-9_]+$' })])),
    codes: Rows,
  },
  { additionalProperties: false },
);
export type Lab = Static<typeof Lab>;
export const LabsFile = Type.Record(Type.String(), Lab);

export const Measure = Type.Object(
  {
    display: Text,
    unit: Type.Optional(Text),
    /** The top of this measure's scale (a score out of 80 or out of 150). */
    scale: Type.Optional(Type.Number({ exclusiveMinimum: 0 })),
    /** A generic code for a score on one of several scales: the measures of those scales (compile-study.ts). */
    scaleOf: Type.Optional(Type.Object({ name: Text, measures: Type.Array(Text, { minItems: 2 }) }, { additionalProperties: false })),
    finding: Type.Optional(Type.Boolean()),
    codes: Rows,
  },
  { additionalProperties: false },
);
export type Measure = Static<typeof Measure>;
export const AssessmentsFile = Type.Record(Type.String(), Measure);

export const InterpretationFile = Type.Object(
  {
    interpretation: Type.Object({ system: Text, positive: Strings, negative: Strings }, { additionalProperties: false }),
    valueCodes: Type.Object({ positive: Rows, negative: Rows }, { additionalProperties: false }),
    strings: Type.Object({ positive: Strings, negative: Strings }, { additionalProperties: false }),
    titreUnits: Strings,
  },
  { additionalProperties: false },
);
export type InterpretationFile = Static<typeof InterpretationFile>;

export const RoutesFile = Type.Object(
  {
    codes: Type.Array(
      Type.Object(
        { ...Type.Omit(CodeRow, ['impliesRoute']).properties, route: Route },
        { additionalProperties: false },
      ),
      { minItems: 1 },
    ),
    routeWords: Type.Record(Type.String(), Strings),
    doseForms: Type.Object(
      { 'non-systemic': Strings, parenteral: Strings, oral: Strings },
      { additionalProperties: false },
    ),
  },
  { additionalProperties: false },
);
export type RoutesFile = Static<typeof RoutesFile>;

export const TimingFile = Type.Object(
  {
    periodUnitDays: Type.Record(Type.String(), Type.Number({ exclusiveMinimum: 0 })),
    codes: Type.Object(
      { system: Text, perDay: Type.Record(Type.String(), Type.Number({ exclusiveMinimum: 0 })) },
      { additionalProperties: false },
    ),
    productUnits: Type.Array(Type.String()),
  },
  { additionalProperties: false },
);
export type TimingFile = Static<typeof TimingFile>;

const N = Type.Number();
const Obj = <T extends Record<string, ReturnType<typeof Type.Number> | ReturnType<typeof Type.Array>>>(props: T) =>
  Type.Object(props, { additionalProperties: false });

const Courses = Obj({ gapDays: N, administrationCurrentDays: N });

/**
 * thresholds.yaml of a study whose criteria read no thresholds of their own: only what the
 * model's medication courses use (kit rules carry their limits in study.yaml). A study's
 * TypeScript criteria declare their own groups with TypeBox, extending this (the thresholds.ts
 * of its folder under criteria/).
 */
export const SharedThresholdsFile = Type.Object({ courses: Courses }, { additionalProperties: false });
export type SharedThresholdsFile = Static<typeof SharedThresholdsFile>;

const Fields = <K extends string>(keys: readonly K[]) =>
  Type.Object(Object.fromEntries(keys.map((k) => [k, Text])) as Record<K, typeof Text>, { additionalProperties: false });

/** The FHIRPath fields the readers need, per resource type: all required. */
export const EXTRACT_FIELDS = {
  Patient: ['gender', 'birthDate', 'deceased'],
  Condition: ['onset', 'recordedDate', 'abatement', 'abatementBoolean', 'clinicalStatus', 'verificationStatus', 'text'],
  Observation: ['status', 'effective', 'issued', 'value', 'referenceRangeHigh', 'interpretation', 'component'],
  DiagnosticReport: ['status', 'effective', 'issued', 'conclusionCode'],
  MedicationStatement: ['status', 'effective', 'dosage', 'statusReason'],
  MedicationRequest: [
    'status',
    'authoredOn',
    'validityPeriod',
    'expectedSupplyDuration',
    'numberOfRepeatsAllowed',
    'dosage',
    'statusReason',
  ],
  MedicationAdministration: ['status', 'effective', 'dosage', 'statusReason'],
  MedicationDispense: ['status', 'whenHandedOver', 'whenPrepared', 'dosage', 'statusReason'],
  Procedure: ['status', 'performed'],
  Encounter: ['status', 'classCode', 'period'],
  AllergyIntolerance: ['clinicalStatus', 'verificationStatus', 'manifestation', 'onset', 'recordedDate', 'text'],
  FamilyMemberHistory: ['status', 'relationship', 'date'],
} as const;
export type ExtractType = keyof typeof EXTRACT_FIELDS;
export type ExtractField<T extends ExtractType> = (typeof EXTRACT_FIELDS)[T][number];

export const ExtractFile = Type.Object(
  Object.fromEntries(Object.entries(EXTRACT_FIELDS).map(([type, keys]) => [type, Fields(keys)])) as {
    [T in ExtractType]: ReturnType<typeof Fields<ExtractField<T>>>;
  },
  { additionalProperties: false },
);
export type ExtractFile = { [T in ExtractType]: Record<ExtractField<T>, string> };
