// What belimumab-iim's TypeScript entry criterion (study.yaml `entry: inc-diagnosis`, I2) needs
// before it can be met or unknown: a Condition in one of these value sets (DM, PM, IIM of
// unspecified subtype, those inc-diagnosis.ts reads; a test holds them equal to
// DIAGNOSIS_CONCEPTS). The nightly finder's prefilter reads them without loading the criteria.
export const ENTRY_VALUE_SETS: ReadonlyMap<string, readonly string[]> = new Map([['inc-diagnosis', ['dx-dm', 'dx-pm', 'dx-iim-unspecified']]]);
