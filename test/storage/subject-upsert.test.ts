// The subject upsert (src/storage/subject-upsert.ts): one VALUES row of parameters a subject,
// the resource as its own text parameter (spliced unparsed when it comes as text), at most
// SUBJECTS_PER_STATEMENT a statement; more are written in several statements, all of them.
import { afterAll, describe, expect, it } from 'vitest';
import type { NewSubject } from '../../src/storage/store.js';
import { SUBJECTS_PER_STATEMENT, subjectUpsert } from '../../src/storage/subject-upsert.js';
import { openTestStore, type TestStore } from '../helpers/test-store.js';
import { asJson, subject } from './store-contract.js';

/** The parameters of one subject's row, in column order. */
const params = (s: NewSubject) => [s.id, s.studyId, s.patientRef, s.status, s.asOf, s.criteriaVersion, JSON.stringify(s.resource)];

describe('subjectUpsert', () => {
  const subjects = [subject('a'), subject('b', { status: 'ineligible', patientRef: 'Patient/"quoted" \\ ✓' }), subject('c')];

  it('gives each subject its row of seven parameters, the resource as the same text whether it came as an object or as text', () => {
    const expected = subjects.flatMap(params);
    expect(subjectUpsert(subjects).values).toEqual(expected);
    expect(subjectUpsert(subjects.map(asJson)).values).toEqual(expected);
    expect(subjectUpsert([subjects[0]!, asJson(subjects[1]!), subjects[2]!]).values).toEqual(expected);
    expect(subjectUpsert(subjects).text).toContain('($15, $16, $17, $18, $19::date, $20, $21)');
    expect(subjectUpsert(subjects).text).not.toContain('$22');
  });

  it('passes a missing column as null', () => {
    const partial = { ...subject('d'), criteriaVersion: undefined } as unknown as NewSubject;
    expect(subjectUpsert([partial]).values[5]).toBeNull();
  });

  it('refuses more subjects than one statement carries', () => {
    const many = Array.from({ length: SUBJECTS_PER_STATEMENT + 1 }, (_, i) => subject(`s${i}`));
    expect(() => subjectUpsert(many)).toThrow(/at most/);
  });
});

describe('writing more subjects than one statement carries', () => {
  let store: TestStore | undefined;
  afterAll(async () => store?.close());

  it('stores every one, across statements, and updates them all on the next write', async () => {
    store = await openTestStore();
    const count = 2 * SUBJECTS_PER_STATEMENT + 7;
    const many = Array.from({ length: count }, (_, i) => subject(`bulk-${i}`, { patientRef: `Patient/bulk-${i}` }));
    await store.writeSubjects(many);
    await store.writeSubjects(many.map((s, i) => (i % 2 ? asJson({ ...s, status: 'ineligible' }) : { ...s, status: 'ineligible' })));
    const stored = await store.searchSubjects({ count: 0, offset: 0, status: ['ineligible'] });
    expect(stored.total).toBe(count);
    const last = await store.getSubject(`bulk-${count - 1}`);
    expect(last?.status).toBe('ineligible');
    expect(last?.resource['meta']).toMatchObject({ versionId: '2' });
  });
});
