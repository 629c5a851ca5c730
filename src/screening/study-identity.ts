// What names a study's rules without loading them: its id, its criteria (id and type, in
// protocol order) and criteriaVersion, the hash of its mapping folder (study.yaml holds its kit
// rules) and of the versions of the code that evaluates them: its TypeScript criteria, the kit. The nightly finder's main thread needs only this (run rows, worklist, funnel)
// while its screening threads load the whole study; reading it costs one YAML file and a hash
// instead of compiling the mapping and loading fhirpath.js, UCUM and every criterion.

import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { CRITERIA_CODE_VERSION as BELIMUMAB_IIM } from '../criteria/belimumab-iim/code-version.js';
import { KIT_CODE_VERSION } from '../criteria/kit/code-version.js';
import type { CriterionType } from '../criteria/types.js';
import { checkEntry, type EntryCriterion } from './entry-criterion.js';
import { hashFolder, readChecked } from '../mapping/read-mapping-file.js';
import { StudyFile } from '../mapping/schema.js';

export interface StudyIdentity {
  id: string;
  criteria: readonly { id: string; type: CriterionType }[];
  criteriaVersion: string;
  /** study.yaml's entry criterion, checked when the study is loaded (entry-criterion.ts). */
  entry?: EntryCriterion;
}

/** Study id → the version of its TypeScript criteria (study-registry.ts joins the code itself). */
export const CRITERIA_CODE_VERSIONS: ReadonlyMap<string, string> = new Map([['belimumab-iim', BELIMUMAB_IIM]]);

export class StudyConfigurationError extends Error {
  override name = 'StudyConfigurationError';
}

/**
 * The version of the code a study's criteria run on: its TypeScript criteria's, the kit's when
 * a criterion has a `rule:`, or both. A study with neither has no criteria code.
 */
export function codeVersionOf(studyId: string, typescriptVersion: string | undefined, hasRules: boolean): string {
  const parts = [...(typescriptVersion === undefined ? [] : [typescriptVersion]), ...(hasRules ? [KIT_CODE_VERSION] : [])];
  if (parts.length === 0) throw new StudyConfigurationError(`study ${studyId}: no criterion has a rule: and no TypeScript criteria are registered for it`);
  return parts.join(' + ');
}

export function criteriaVersionOf(contentHash: string, codeVersion: string): string {
  return createHash('sha256').update(contentHash).update('\0').update(codeVersion).digest('hex').slice(0, 16);
}

/** The identity of the study in `mappingsDir/<studyId>`, or undefined when there is no such folder. */
export function readStudyIdentity(mappingsDir: string, studyId: string): StudyIdentity | undefined {
  const dir = join(mappingsDir, studyId);
  if (!existsSync(join(dir, 'study.yaml'))) return undefined;
  const file = readChecked(dir, 'study.yaml', StudyFile);
  const study = file.data as StudyFile;
  // The entry's shape is checked here too: the finder's prefilter reads it before any thread loads the study.
  checkEntry(file);
  const hasRules = study.criteria.some((c) => c.rule !== undefined);
  const codeVersion = codeVersionOf(study.id, CRITERIA_CODE_VERSIONS.get(study.id), hasRules);
  return {
    id: study.id,
    criteria: study.criteria.map((c) => ({ id: c.id, type: c.type })),
    criteriaVersion: criteriaVersionOf(hashFolder(dir), codeVersion),
    ...(study.entry === undefined ? {} : { entry: study.entry }),
  };
}
