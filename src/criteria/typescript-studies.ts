// The studies with criteria in TypeScript, by study id: the one list a TypeScript study is added
// to (a study made only of kit rules in its study.yaml needs no entry). The screening threads and
// the service load these; the finder's main thread reads only typescript-study-facts.ts.

import { STUDY_CODE as BELIMUMAB_IIM } from './belimumab-iim/index.js';
import type { StudyCode } from './types.js';

export const TYPESCRIPT_CRITERIA: ReadonlyMap<string, StudyCode> = new Map([['belimumab-iim', BELIMUMAB_IIM]]);
