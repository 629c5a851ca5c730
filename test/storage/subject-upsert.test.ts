// subjectRowsJson builds the upsert's json array by concatenation, splicing a resource given as
// text in unparsed: the array must be the text JSON.stringify makes of the same rows.
import { describe, expect, it } from 'vitest';
import type { NewSubject } from '../../src/storage/store.js';
import { subjectRowsJson } from '../../src/storage/subject-upsert.js';
import { asJson, subject } from './store-contract.js';

/** The row UPSERT_SUBJECTS reads: the columns, then the resource. */
const row = (s: NewSubject) => ({
  id: s.id,
  study_id: s.studyId,
  patient_ref: s.patientRef,
  status: s.status,
  as_of: s.asOf,
  criteria_version: s.criteriaVersion,
  resource: s.resource,
});

describe('subjectRowsJson', () => {
  const subjects = [subject('a'), subject('b', { status: 'ineligible', patientRef: 'Patient/"quoted" \\ ✓' }), subject('c')];

  it('is JSON.stringify of the rows, whether each resource comes as an object or as text', () => {
    const expected = JSON.stringify(subjects.map(row));
    expect(subjectRowsJson(subjects)).toBe(expected);
    expect(subjectRowsJson(subjects.map(asJson))).toBe(expected);
    expect(subjectRowsJson([subjects[0]!, asJson(subjects[1]!), subjects[2]!])).toBe(expected);
    expect(subjectRowsJson([])).toBe('[]');
  });

  it('leaves out what is undefined, as JSON.stringify does', () => {
    const partial = { ...subject('d'), criteriaVersion: undefined } as unknown as NewSubject;
    expect(subjectRowsJson([partial])).toBe(JSON.stringify([row(partial)]));
    const bare = { resource: subject('e').resource } as unknown as NewSubject;
    expect(subjectRowsJson([bare])).toBe(JSON.stringify([row(bare)]));
  });
});
