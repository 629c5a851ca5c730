// What names a study's rules without loading them: its id, its criteria (id and type, in
// protocol order) and criteriaVersion, the hash of its mapping folder (study.yaml holds its kit
// rules) and of the versions of the code that evaluates them: its TypeScript criteria, the kit. The nightly finder's main thread needs only this (run rows, worklist, funnel)
// while its screening threads load the whole study; reading it costs one YAML file and a hash
// instead of compiling the mapping and loading fhirpath.js, UCUM and every criterion.

import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { CRITERIA_CODE_VERSION as BELIMUMAB_IIM } from '../criteria/belimumab-iim/code-version.js';
import { KIT_CODE_VERSION } from '../criteria/kit/code-version.js';
import { sameAsReferences } from '../criteria/kit/rule-references.js';
import type { CriterionType } from '../criteria/types.js';
import { hashFolder, readChecked } from '../mapping/read-mapping-file.js';
import { StudyFile } from '../mapping/schema.js';

export interface StudyIdentity {
  id: string;
  criteria: readonly { id: string; type: CriterionType }[];
  criteriaVersion: string;
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
export function codeVersionOf(studyId: string, typescriptVersion: string | undefined, hasRules: boolean, lenders: readonly string[] = []): string {
  const parts = [...(typescriptVersion === undefined ? [] : [typescriptVersion]), ...(hasRules ? [KIT_CODE_VERSION] : [])];
  if (parts.length === 0) throw new StudyConfigurationError(`study ${studyId}: no criterion has a rule: and no TypeScript criteria are registered for it`);
  return [...parts, ...lenders].join(' + ');
}

/**
 * What a study borrows with `same-as` (screening/same-as.ts), as version parts: each lending
 * study's folder hash and TypeScript criteria version, so an edit there changes the borrower's
 * criteriaVersion too. `root` holds the study folders; a missing lender adds nothing (loading
 * the study reports it).
 */
export function lenderVersions(root: string, study: StudyFile, versions: ReadonlyMap<string, string | undefined>): string[] {
  const lenders = new Set<string>();
  for (const c of study.criteria) for (const r of sameAsReferences(c.rule)) lenders.add(r.study);
  const out: string[] = [];
  for (const id of [...lenders].sort()) {
    const dir = join(root, id);
    if (!existsSync(join(dir, 'study.yaml'))) continue;
    out.push(`same-as ${id} ${hashFolder(dir).slice(0, 16)}${versions.get(id) ? ` ${versions.get(id)}` : ''}`);
  }
  return out;
}

export function criteriaVersionOf(contentHash: string, codeVersion: string): string {
  return createHash('sha256').update(contentHash).update('\0').update(codeVersion).digest('hex').slice(0, 16);
}

/** The identity of the study in `mappingsDir/<studyId>`, or undefined when there is no such folder. */
export function readStudyIdentity(mappingsDir: string, studyId: string): StudyIdentity | undefined {
  const dir = join(mappingsDir, studyId);
  if (!existsSync(join(dir, 'study.yaml'))) return undefined;
  const study = readChecked(dir, 'study.yaml', StudyFile).data as StudyFile;
  const hasRules = study.criteria.some((c) => c.rule !== undefined);
  const lenders = lenderVersions(dirname(dir), study, CRITERIA_CODE_VERSIONS);
  const codeVersion = codeVersionOf(study.id, CRITERIA_CODE_VERSIONS.get(study.id), hasRules, lenders);
  return {
    id: study.id,
    criteria: study.criteria.map((c) => ({ id: c.id, type: c.type })),
    criteriaVersion: criteriaVersionOf(hashFolder(dir), codeVersion),
  };
}
