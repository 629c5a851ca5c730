// What the nightly finder's main thread needs of each TypeScript study (typescript-studies.ts)
// without loading its criteria: their code version, and the value sets of a TypeScript entry
// criterion. Each study's two light files keep this list from importing its criteria.

import { CRITERIA_CODE_VERSION as BELIMUMAB_IIM } from './belimumab-iim/code-version.js';
import { ENTRY_VALUE_SETS as BELIMUMAB_IIM_ENTRY } from './belimumab-iim/entry-value-sets.js';

export interface TypescriptStudyFacts {
  version: string;
  entryValueSets: ReadonlyMap<string, readonly string[]>;
}

export const TYPESCRIPT_FACTS: ReadonlyMap<string, TypescriptStudyFacts> = new Map([
  ['belimumab-iim', { version: BELIMUMAB_IIM, entryValueSets: BELIMUMAB_IIM_ENTRY }],
]);
