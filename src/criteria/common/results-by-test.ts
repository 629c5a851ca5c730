// The model's lab results by test and assessments by measure, indexed once per model and shared
// by every criterion that asks for the latest of some tests (latest-lab.ts, latest-assessment.ts).
// A patient with a long history has many lab results and assessments, and the criteria ask for one test or
// another many times: an index answers each ask without filtering the whole list. Kept on the
// model (model-memo.ts), like the medication timeline.

import type { Assessment, EligibilityModel, LabResult } from '../../mapping/model.js';
import { memoOnModel } from './model-memo.js';

const labsByTest = memoOnModel('labs by test', (model) => groupBy(model.labs, (l) => l.test));
const assessmentsByMeasure = memoOnModel('assessments by measure', (model) => groupBy(model.assessments, (a) => a.measure));

function groupBy<T>(items: readonly T[], keyOf: (item: T) => string): Map<string, T[]> {
  const index = new Map<string, T[]>();
  for (const item of items) {
    const key = keyOf(item);
    const list = index.get(key);
    if (list) list.push(item);
    else index.set(key, [item]);
  }
  return index;
}

/** The results of these tests, in the model's order (the order of model.labs). */
export function labsOf(model: EligibilityModel, tests: readonly string[]): LabResult[] {
  return inModelOrder(labsByTest(model), tests, model.labs);
}

/** The assessments of these measures, in the model's order. */
export function assessmentsOf(model: EligibilityModel, measures: readonly string[]): Assessment[] {
  return inModelOrder(assessmentsByMeasure(model), measures, model.assessments);
}

function inModelOrder<T>(index: Map<string, T[]>, keys: readonly string[], all: readonly T[]): T[] {
  if (keys.length === 1) return [...(index.get(keys[0]!) ?? [])];
  // Several keys: the same order a filter of the whole list gives, which sorts and ties rely on.
  const wanted = new Set<T>();
  for (const k of keys) for (const item of index.get(k) ?? []) wanted.add(item);
  return wanted.size === 0 ? [] : all.filter((item) => wanted.has(item));
}
