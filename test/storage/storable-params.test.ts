import { describe, expect, it } from 'vitest';
import { storableText } from '../../src/storage/storable-params.js';
import { openTestStore } from '../helpers/test-store.js';

describe('what PostgreSQL refuses never reaches it', () => {
  it('replaces NUL and unpaired surrogate escapes, keeps pairs and escaped backslashes', () => {
    expect(storableText('a\u0000b')).toBe('a\uFFFDb');
    expect(storableText(JSON.stringify({ x: 'a\u0000b' }))).toBe('{"x":"a\\ufffdb"}');
    expect(storableText(JSON.stringify({ x: 'lone \ud800 high' }))).toBe('{"x":"lone \\ufffd high"}');
    expect(storableText(JSON.stringify({ x: 'lone \udc00 low' }))).toBe('{"x":"lone \\ufffd low"}');
    expect(storableText('{"x":"\\ud83d\\ude00"}')).toBe('{"x":"\\ud83d\\ude00"}');
    expect(storableText(JSON.stringify({ x: 'text \\u0000 as written' }))).toBe(JSON.stringify({ x: 'text \\u0000 as written' }));
    expect(storableText('plain')).toBe('plain');
  });

  it('a subject whose text holds NUL and a lone surrogate is stored, not a database error', async () => {
    const store = await openTestStore();
    try {
      const stored = await store.upsertSubject({
        id: 'nul-test',
        studyId: 'belimumab-iim',
        patientRef: 'Patient/p1',
        status: 'ineligible',
        asOf: '2026-10-26',
        criteriaVersion: 'v',
        resource: { resourceType: 'ResearchSubject', id: 'nul-test', note: 'a\u0000b \ud800 c 😀' },
      });
      expect(stored.id).toBe('nul-test');
      const read = await store.getSubject('nul-test');
      expect((read?.resource as { note: string }).note).toBe('a\uFFFDb \uFFFD c 😀');
    } finally {
      await store.close();
    }
  });
});
