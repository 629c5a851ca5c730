// What the nightly finder's main thread needs of belimumab-iim's TypeScript criteria without
// loading them (screening/typescript-criteria.ts finds this file by the study's id):
//   - CRITERIA_CODE_VERSION, part of criteriaVersion: bump it whenever a criterion's logic
//     changes, so stored results say which code produced them;
//   - ENTRY_VALUE_SETS, what the TypeScript entry criterion (study.yaml `entry: inc-diagnosis`,
//     I2) needs before it can be met or unknown: a Condition in one of these value sets (DM, PM,
//     IIM of unspecified subtype, those inc-diagnosis.ts reads; a test holds them equal to
//     DIAGNOSIS_CONCEPTS). The prefilter reads them.

import type { StudyFacts } from '../types.js';

export const CRITERIA_CODE_VERSION = 'belimumab-iim-criteria/3 (30 of 30 evaluated)';

export const ENTRY_VALUE_SETS: ReadonlyMap<string, readonly string[]> = new Map([['inc-diagnosis', ['dx-dm', 'dx-pm', 'dx-iim-unspecified']]]);

export const STUDY_FACTS: StudyFacts = { version: CRITERIA_CODE_VERSION, entryValueSets: ENTRY_VALUE_SETS };
