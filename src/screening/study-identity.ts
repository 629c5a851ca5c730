// What names a study's rules without loading them: its id, its criteria (id and type, in
// protocol order) and criteriaVersion, the hash of its mapping folder and the site folder
// (study.yaml holds its kit rules) and of the versions of the code that evaluates them: its TypeScript criteria, the kit. The nightly finder's main thread needs only this (run rows, worklist, funnel)
// while its screening threads load the whole study; reading it costs one YAML file and a hash
// instead of compiling the mapping and loading fhirpath.js, UCUM and every criterion.

import { createHash } from 'node:crypto';
import { existsSync, readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { KIT_CODE_VERSION } from '../criteria/kit/code-version.js';
import { entryValueSets } from '../criteria/kit/entry-value-sets.js';
import { sameAsReferences } from '../criteria/kit/rule-references.js';
import type { CriterionType, StudyFacts } from '../criteria/types.js';
import { MappingError } from '../mapping/mapping-error.js';
import { readChecked, type CheckedFile } from '../mapping/read-mapping-file.js';
import { StudyFile } from '../mapping/schema.js';
import { studyContentHash } from '../mapping/study-files.js';
import { loadTypescriptFacts } from './typescript-criteria.js';

export interface StudyIdentity {
  id: string;
  criteria: readonly { id: string; type: CriterionType }[];
  criteriaVersion: string;
  entry: StudyEntry;
}

/**
 * The study's entry criterion (study.yaml `entry:`): the nightly finder reads past their
 * Conditions only the patients with a Condition in one of `valueSets`, and counts the others as
 * dropping at this criterion.
 */
export interface StudyEntry {
  id: string;
  valueSets: readonly string[];
}

export class StudyConfigurationError extends Error {
  override name = 'StudyConfigurationError';
}

/**
 * The version of the code a study's criteria run on: its TypeScript criteria's, the kit's when
 * a criterion has a `rule:`, or both. A study with neither has no criteria code.
 */
export function codeVersionOf(studyId: string, typescriptVersion: string | undefined, hasRules: boolean, lenders: readonly string[] = []): string {
  const parts = [...(typescriptVersion === undefined ? [] : [typescriptVersion]), ...(hasRules ? [KIT_CODE_VERSION] : [])];
  if (parts.length === 0) throw new StudyConfigurationError(`study ${studyId}: no criterion has a rule: and it declares no TypeScript criteria (typescriptCriteria: true)`);
  return [...parts, ...lenders].join(' + ');
}

/**
 * What a study borrows with `same-as` (screening/same-as.ts), as version parts: each lending
 * study's content hash (its folder with the site folder) and TypeScript criteria version, so an edit there changes the borrower's
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
    out.push(`same-as ${id} ${studyContentHash(dir).slice(0, 16)}${versions.get(id) ? ` ${versions.get(id)}` : ''}`);
  }
  return out;
}

export function criteriaVersionOf(contentHash: string, codeVersion: string): string {
  return createHash('sha256').update(contentHash).update('\0').update(codeVersion).digest('hex').slice(0, 16);
}

/**
 * study.yaml's entry criterion: an inclusion of the list whose rule needs a Condition
 * (criteria/kit/entry-value-sets.ts), or a TypeScript criterion that declares its value sets.
 * A mistake is a MappingError at the line of `entry:`.
 */
export function studyEntry(file: CheckedFile, facts: StudyFacts | undefined): StudyEntry {
  const study = file.data as StudyFile;
  const fail = (problem: string): never => {
    throw new MappingError('study.yaml', '/entry', problem, file.lineOf('/entry'));
  };
  const c = study.criteria.find((x) => x.id === study.entry);
  if (!c) return fail(`the entry criterion '${study.entry}' is not in the criteria list`);
  if (c.type !== 'inclusion') return fail(`the entry criterion '${study.entry}' must be an inclusion criterion`);
  const valueSets = c.rule !== undefined ? entryValueSets(c.rule) : facts?.entryValueSets?.get(c.id);
  if (!valueSets) {
    return fail(
      c.rule !== undefined
        ? `the entry criterion '${c.id}' must need a Condition in a value set (a condition block, all: with one, or any: of them) for the nightly finder to skip everyone else`
        : `the entry criterion '${c.id}' is written in TypeScript and its study code declares no value sets for it`,
    );
  }
  return { id: c.id, valueSets };
}

/** The study folders under `mappingsDir` (a folder is named by its study's id; `_site` is none), sorted. */
export function listStudyIds(mappingsDir: string): string[] {
  return readdirSync(mappingsDir, { withFileTypes: true })
    .filter((e) => e.isDirectory() && !e.name.startsWith('_') && existsSync(join(mappingsDir, e.name, 'study.yaml')))
    .map((e) => e.name)
    .sort();
}

/** The identity of the study in `mappingsDir/<studyId>`, or undefined when there is no such folder. */
export async function readStudyIdentity(mappingsDir: string, studyId: string): Promise<StudyIdentity | undefined> {
  const dir = join(mappingsDir, studyId);
  if (!existsSync(join(dir, 'study.yaml'))) return undefined;
  const file = readChecked(dir, 'study.yaml', StudyFile);
  const study = file.data as StudyFile;
  const hasRules = study.criteria.some((c) => c.rule !== undefined);
  // Every study's facts: a same-as lender's version is part of this one's.
  const all = await loadTypescriptFacts(mappingsDir);
  const facts = all.get(study.id);
  const versions = new Map([...all].map(([id, f]) => [id, f.version]));
  const codeVersion = codeVersionOf(study.id, facts?.version, hasRules, lenderVersions(dirname(dir), study, versions));
  return {
    id: study.id,
    criteria: study.criteria.map((c) => ({ id: c.id, type: c.type })),
    criteriaVersion: criteriaVersionOf(studyContentHash(dir), codeVersion),
    entry: studyEntry(file, facts),
  };
}
