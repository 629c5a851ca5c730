// A study's entry criterion (study.yaml `entry:`): the inclusion criterion the nightly finder's
// prefilter reads to skip everyone else, with the value sets a Condition must be coded in for a
// patient to possibly meet it (`inc-diagnosis` with DM, PM and unspecified IIM for belimumab-iim).
// Skipping a patient is safe only when, with no such Condition, the criterion surely fails: so
// the entry must be an inclusion criterion, and when it is a kit rule, a `condition` block (not
// met when nothing counts) naming only the entry's value sets. A TypeScript criterion cannot be
// read that way; its study declares the value sets it counts.

import { MappingError } from '../mapping/mapping-error.js';
import type { CheckedFile } from '../mapping/read-mapping-file.js';
import type { NamedId } from '../mapping/required-ids.js';
import type { StudyFile } from '../mapping/schema.js';

export interface EntryCriterion {
  criterion: string;
  valueSets: readonly string[];
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** The value sets a rule that is a single `condition` block names, else undefined. */
function conditionValueSets(rule: unknown): unknown[] | undefined {
  if (!isObject(rule) || Object.keys(rule).length !== 1 || !isObject(rule['condition'])) return undefined;
  const valueSets = rule['condition']['valueSets'];
  return Array.isArray(valueSets) ? valueSets : undefined;
}

/** The value sets study.yaml's entry names, for the loader to find in value-sets.yaml. */
export function entryNamedIds(file: CheckedFile): NamedId[] {
  const entry = (file.data as StudyFile).entry;
  return (entry?.valueSets ?? []).map((id, i) => {
    const path = `/entry/valueSets/${i}`;
    return { kind: 'value set', id, path, line: file.lineOf(path) };
  });
}

/**
 * Checks study.yaml's entry against its criteria (after its value sets are known to exist).
 * No entry: nothing to check (the finder then refuses the study).
 */
export function checkEntry(file: CheckedFile): void {
  const study = file.data as StudyFile;
  const entry = study.entry;
  if (entry === undefined) return;
  const fail = (path: string, problem: string): never => {
    throw new MappingError('study.yaml', path, problem, file.lineOf(path));
  };
  const at = study.criteria.findIndex((c) => c.id === entry.criterion);
  const criterion = study.criteria[at];
  if (!criterion) return fail('/entry/criterion', `the entry criterion '${entry.criterion}' is not one of the study's criteria`);
  if (criterion.type !== 'inclusion') fail('/entry/criterion', `the entry criterion '${entry.criterion}' must be an inclusion criterion`);
  if (criterion.rule === undefined) return;
  const counted = conditionValueSets(criterion.rule);
  if (counted === undefined) return fail(`/criteria/${at}/rule`, `the entry criterion '${entry.criterion}' must be a condition rule: the prefilter reads Conditions only`);
  const declared = new Set(entry.valueSets);
  counted.forEach((id, i) => {
    if (typeof id === 'string' && !declared.has(id)) {
      fail(`/criteria/${at}/rule/condition/valueSets/${i}`, `value set '${id}' of the entry criterion is missing from entry.valueSets: the prefilter would skip its patients`);
    }
  });
}
