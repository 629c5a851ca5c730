// The worklist's "candidates for more than one trial": patients who are candidate or
// potential-candidate in two or more of the caller's studies, paged by patient, each with its
// result in every one of those studies. On PGlite and, when there is one, on PostgreSQL.

import { describe, expect, it, onTestFinished } from 'vitest';
import type { Store } from '../../src/storage/store.js';
import { findTestPostgres, openTestStore } from '../helpers/test-store.js';
import { NEEDS_POSTGRES, skipBecause } from '../helpers/skip.js';
import { subject } from './store-contract.js';

const postgres = await findTestPostgres();
const A = 'belimumab-iim';
const B = 'glp1-ckd';
const C = 'kit-demo';
const ALL = [A, B, C];

/** One result per study and patient, as the service stores them (the id is stable for both). */
const result = (study: string, patient: string, status: string) =>
  subject(`${study}.${patient}`, { studyId: study, patientRef: `Patient/${patient}`, status });

function contract(open: () => Promise<Store>): void {
  async function seeded(): Promise<Store> {
    const store = await open();
    onTestFinished(() => store.close());
    // Written one at a time, oldest first: last_updated orders the patients.
    for (const s of [
      result(A, 'both', 'candidate'),
      result(B, 'both', 'potential-candidate'),
      result(C, 'both', 'ineligible'),
      result(A, 'one-only', 'candidate'),
      result(B, 'one-only', 'ineligible'),
      result(A, 'ineligible-twice', 'ineligible'),
      result(B, 'ineligible-twice', 'ineligible'),
      result(B, 'b-and-c', 'candidate'),
      result(C, 'b-and-c', 'candidate'),
      result(A, 'all-three', 'potential-candidate'),
      result(B, 'all-three', 'candidate'),
      result(C, 'all-three', 'potential-candidate'),
    ]) {
      await store.upsertSubject(s);
    }
    return store;
  }

  const page = async (store: Store, query: { studies?: string[]; study?: string; count?: number; offset?: number }) => {
    const answer = await store.searchSeveralStudies!({ studies: query.studies ?? ALL, count: query.count ?? 20, offset: query.offset ?? 0, ...(query.study ? { study: query.study } : {}) });
    return {
      total: answer.total,
      patients: answer.items.map((p) => p.patientRef),
      results: answer.items.map((p) => p.subjects.map((s) => `${s.studyId}:${s.status}`)),
      items: answer.items,
    };
  };

  it('lists patients candidate or potential-candidate in two or more studies, newest first, each with every study result', async () => {
    const store = await seeded();
    const all = await page(store, {});
    expect(all.total).toBe(3);
    expect(all.patients).toEqual(['Patient/all-three', 'Patient/b-and-c', 'Patient/both']);
    // Each patient brings its result in every study, ineligible ones too, in study order.
    expect(all.results).toEqual([
      [`${A}:potential-candidate`, `${B}:candidate`, `${C}:potential-candidate`],
      [`${B}:candidate`, `${C}:candidate`],
      [`${A}:candidate`, `${B}:potential-candidate`, `${C}:ineligible`],
    ]);
    // The stored subjects, as getSubject reads them.
    expect(all.items[2]!.subjects[0]).toEqual(await store.getSubject(`${A}.both`));
  });

  it('pages by patient with the total, and an offset past the end is an empty page', async () => {
    const store = await seeded();
    const first = await page(store, { count: 2 });
    const second = await page(store, { count: 2, offset: 2 });
    expect([first.total, second.total]).toEqual([3, 3]);
    expect(first.patients).toEqual(['Patient/all-three', 'Patient/b-and-c']);
    expect(second.patients).toEqual(['Patient/both']);
    // A page never splits a patient's results.
    expect(second.results).toEqual([[`${A}:candidate`, `${B}:potential-candidate`, `${C}:ineligible`]]);
    expect(await page(store, { count: 2, offset: 3 })).toMatchObject({ total: 3, patients: [] });
    expect(await page(store, { count: 0 })).toMatchObject({ total: 3, patients: [] });
    await expect(store.searchSeveralStudies!({ studies: ALL, count: -1, offset: 0 })).rejects.toThrow(RangeError);
  });

  it('with a study, only patients for whom that study is one of the two or more', async () => {
    const store = await seeded();
    expect((await page(store, { study: A })).patients).toEqual(['Patient/all-three', 'Patient/both']);
    expect((await page(store, { study: C })).patients).toEqual(['Patient/all-three', 'Patient/b-and-c']);
    expect(await page(store, { study: 'no-such-study' })).toMatchObject({ total: 0, patients: [] });
  });

  it('counts and shows only the studies given: another study neither qualifies a patient nor appears', async () => {
    const store = await seeded();
    const ab = await page(store, { studies: [A, B] });
    expect(ab.patients).toEqual(['Patient/all-three', 'Patient/both']);
    expect(ab.results).toEqual([[`${A}:potential-candidate`, `${B}:candidate`], [`${A}:candidate`, `${B}:potential-candidate`]]);
    // A study the caller may not see cannot be asked for.
    expect(await page(store, { studies: [A, B], study: C })).toMatchObject({ total: 0, patients: [] });
    expect(await page(store, { studies: [A] })).toMatchObject({ total: 0, patients: [] });
    expect(await page(store, { studies: [] })).toMatchObject({ total: 0, patients: [] });
  });

  it('follows the stored status: a result screened again as ineligible drops the patient', async () => {
    const store = await seeded();
    await store.upsertSubject(result(B, 'b-and-c', 'ineligible'));
    expect((await page(store, {})).patients).toEqual(['Patient/all-three', 'Patient/both']);
    // And a new result that makes two puts the patient first (newest).
    await store.upsertSubject(result(B, 'one-only', 'potential-candidate'));
    expect((await page(store, {})).patients).toEqual(['Patient/one-only', 'Patient/all-three', 'Patient/both']);
  });

  it('narrows a subject search to the studies given', async () => {
    const store = await seeded();
    const found = await store.searchSubjects({ patient: 'Patient/all-three', studies: [A, C], count: 10, offset: 0 });
    expect(found.items.map((s) => s.studyId).sort()).toEqual([A, C]);
    expect((await store.searchSubjects({ studies: [], count: 10, offset: 0 })).total).toBe(0);
  });
}

describe('candidates in several studies on PGlite', () => {
  contract(() => openTestStore('pglite'));
});

describe.skipIf(skipBecause(postgres === undefined, NEEDS_POSTGRES))('candidates in several studies on PostgreSQL', () => {
  contract(() => openTestStore('postgres'));
});
