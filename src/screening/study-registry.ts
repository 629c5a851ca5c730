// Loads each study folder and joins it with its criteria: a criterion whose study.yaml entry has
// a `rule:` is composed from the criteria kit (criteria/kit/rule.ts), any other is the study's
// TypeScript criterion of that id (found by typescript-criteria.ts), so a study may be all kit
// rules, all TypeScript, or a mix. Loading is async because a study's TypeScript is imported.
// The order is study.yaml's. What the criteria need of the folder (ids their code reads, ids
// their rules name, the shape of thresholds.yaml) is checked at load, and a mistake stops
// start-up with the file, the line and what is wrong (MappingError). criteriaVersion hashes the
// folder (rules included) and the code versions.

import { readdirSync, statSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { RuleError, ruleCriterion } from '../criteria/kit/rule.js';
import { ruleReferences, sameAsReferences } from '../criteria/kit/rule-references.js';
import type { Criterion, StudyCode } from '../criteria/types.js';
import { loadStudyMapping } from '../mapping/load-study.js';
import { MappingError } from '../mapping/mapping-error.js';
import { readChecked, type CheckedFile } from '../mapping/read-mapping-file.js';
import { NO_REQUIRED_IDS, type NamedId, type StudyNeeds } from '../mapping/required-ids.js';
import { StudyFile } from '../mapping/schema.js';
import type { StudyMapping } from '../mapping/study.js';
import { borrowing, type Borrowing } from './same-as.js';
import { codeVersionOf, criteriaVersionOf, lenderVersions, StudyConfigurationError, studyEntry, type StudyEntry } from './study-identity.js';
import { loadTypescriptCriteria } from './typescript-criteria.js';

export { StudyConfigurationError };

export interface ScreeningStudy {
  mapping: StudyMapping;
  criteria: Criterion[];
  criteriaVersion: string;
  /** study.yaml `entry:` and the value sets the nightly finder's prefilter reads for it. */
  entry: StudyEntry;
}

interface JoinedCriteria {
  criteria: Criterion[];
  named: NamedId[];
  hasRules: boolean;
}

/** study.yaml's criteria in order, each from its rule or from the TypeScript criteria. */
function joinCriteria(file: CheckedFile, code: StudyCode | undefined, borrow: Borrowing): JoinedCriteria {
  const study = file.data as StudyFile;
  const coded = new Map((code?.criteria ?? []).map((c) => [c.id, c]));
  const fail = (path: string, problem: string): never => {
    throw new MappingError('study.yaml', path, problem, file.lineOf(path));
  };
  const criteria: Criterion[] = [];
  const named: NamedId[] = [];
  const listed = new Set<string>();
  study.criteria.forEach((c, i) => {
    const at = `/criteria/${i}`;
    if (listed.has(c.id)) fail(`${at}/id`, `criterion '${c.id}' is listed twice`);
    listed.add(c.id);
    const typed = coded.get(c.id);
    if (c.rule !== undefined) {
      if (typed) fail(`${at}/rule`, `criterion '${c.id}' has both a rule: and a TypeScript criterion of study ${study.id}; give it one`);
      try {
        criteria.push(ruleCriterion(c.id, c.type, c.rule, borrow.context));
      } catch (error) {
        if (error instanceof RuleError) fail(`${at}/rule${error.path}`, `criterion '${c.id}': ${error.detail}`);
        throw error;
      }
      for (const r of ruleReferences(c.rule)) {
        const path = `${at}/rule${r.path}`;
        named.push({ kind: r.kind, id: r.id, path, line: file.lineOf(path) });
      }
      // What a same-as borrowed: its ids, checked against this folder at the same-as line.
      const borrowed = sameAsReferences(c.rule);
      const sameAsPath = `${at}/rule${borrowed[0]?.path ?? ''}`;
      for (const b of borrow.ids.splice(0)) named.push({ kind: b.kind, id: b.id, path: sameAsPath, line: file.lineOf(sameAsPath) });
      const whole = borrowed.length === 1 && borrowed[0]!.path === '/same-as' ? borrow.types.get(`${borrowed[0]!.study}/${borrowed[0]!.criterion}`) : undefined;
      if (whole && whole !== c.type) fail(`${at}/type`, `criterion '${c.id}' is ${c.type} here but the criterion it is the same as is ${whole}`);
    } else if (typed) {
      if (typed.type !== c.type) fail(`${at}/type`, `criterion '${c.id}' is ${c.type} here but ${typed.type} in the TypeScript criteria`);
      criteria.push(typed);
    } else {
      fail(at, `criterion '${c.id}' has no rule: and study ${study.id} has no TypeScript criterion of that id`);
    }
  });
  for (const c of code?.criteria ?? []) {
    if (!listed.has(c.id)) fail('/criteria', `criterion '${c.id}' of study ${study.id}'s TypeScript criteria is missing from the order`);
  }
  return { criteria, named, hasRules: study.criteria.some((c) => c.rule !== undefined) };
}

/** What a study's TypeScript criteria (if any) and kit rules need of its folder. */
export function needsOf(typescript: StudyCode | undefined, named: NamedId[] = []): StudyNeeds {
  if (!typescript) return { required: NO_REQUIRED_IDS, named };
  const needs: StudyNeeds = { required: typescript.required, named, thresholds: typescript.thresholds };
  if (typescript.thresholdLabs) needs.thresholdLabs = typescript.thresholdLabs;
  return needs;
}

/**
 * Loads the study folder `dir`; `code` gives the TypeScript criteria by study id (by default
 * those the folders beside it declare: a study may borrow another's criterion with same-as).
 */
export async function loadStudy(dir: string, code?: ReadonlyMap<string, StudyCode>): Promise<ScreeningStudy> {
  return joinStudy(dir, code ?? (await loadTypescriptCriteria(dirname(dir))));
}

function joinStudy(dir: string, code: ReadonlyMap<string, StudyCode>): ScreeningStudy {
  const file = readChecked(dir, 'study.yaml', StudyFile);
  const id = (file.data as StudyFile).id;
  // Every channel finds a study's files by its id (CDS prefetch, the nightly finder).
  if (id !== basename(dir)) throw new MappingError('study.yaml', '/id', `the study id '${id}' must be the name of its folder, '${basename(dir)}'`, file.lineOf('/id'));
  const typescript = code.get(id);
  const joined = joinCriteria(file, typescript, borrowing(dirname(dir), id, code));
  const entry = studyEntry(file, typescript);
  // The entry's value sets must exist like any the rules name (a TypeScript entry's are not in a rule).
  const entryPath = '/entry';
  const entryIds = entry.valueSets.map((id) => ({ kind: 'value set' as const, id, path: entryPath, line: file.lineOf(entryPath) }));
  const mapping = loadStudyMapping(dir, needsOf(typescript, [...joined.named, ...entryIds]));
  const versions = new Map([...code].map(([study, c]) => [study, c.version]));
  const codeVersion = codeVersionOf(id, typescript?.version, joined.hasRules, lenderVersions(dirname(dir), file.data as StudyFile, versions));
  return { mapping, criteria: joined.criteria, criteriaVersion: criteriaVersionOf(mapping.contentHash, codeVersion), entry };
}

/** Loads every study folder under `root` (fhir-mappings/), with the site folder; throws on the first problem, naming the folder. */
export async function loadStudies(root: string, code?: ReadonlyMap<string, StudyCode>): Promise<Map<string, ScreeningStudy>> {
  code ??= await loadTypescriptCriteria(root);
  const studies = new Map<string, ScreeningStudy>();
  for (const name of readdirSync(root).sort()) {
    const dir = join(root, name);
    // `_site` (and any folder starting with `_`) is not a study: mapping/study-files.ts merges it into each.
    if (name.startsWith('_') || !statSync(dir).isDirectory()) continue;
    let study: ScreeningStudy;
    try {
      study = joinStudy(dir, code);
    } catch (error) {
      throw error instanceof MappingError ? error.inFolder(name) : error;
    }
    studies.set(study.mapping.id, study);
  }
  if (studies.size === 0) throw new StudyConfigurationError(`no study folder found under ${root}`);
  return studies;
}
