// cds-hooks/result-writer.ts on a real store: calls that finish while a write runs are stored
// together, a patient screened twice in one batch is stored once (the later screening), every
// card is kept, and a failed write fails exactly the calls of its batch.
import { randomUUID } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import { CdsResultWriter } from '../../src/cds-hooks/result-writer.js';
import type { IssuedCard } from '../../src/storage/cds-feedback-store.js';
import type { Store, StoredSubject } from '../../src/storage/store.js';
import { openTestStore, type TestStore } from '../helpers/test-store.js';

let store: TestStore | undefined;
afterEach(async () => {
  await store?.close();
  store = undefined;
});

function subject(id: string, status: string): Omit<StoredSubject, 'lastUpdated'> {
  return {
    id,
    studyId: 'belimumab-iim',
    patientRef: `Patient/${id}`,
    status,
    asOf: '2026-11-26',
    criteriaVersion: 'v1',
    resource: { resourceType: 'ResearchSubject', id, status },
  };
}

function card(subjectId: string): IssuedCard {
  return { uuid: randomUUID(), serviceId: 'belimumab-iim-prescreen', studyId: 'belimumab-iim', subjectId, status: 'candidate', criteria: ['inc-age'] };
}

/** Counts the statements that reach the store. */
function counting(inner: Store): { store: Store; batches: number[] } {
  const batches: number[] = [];
  const wrapped = Object.create(inner) as Store;
  Object.defineProperty(wrapped, 'writeSubjects', {
    value: (subjects: Parameters<Store['writeSubjects']>[0]) => {
      batches.push(subjects.length);
      return inner.writeSubjects(subjects);
    },
  });
  return { store: wrapped, batches };
}

describe('CdsResultWriter', () => {
  it('writes one call at once, and the calls that arrive during a write together after it', async () => {
    store = await openTestStore();
    const { store: counted, batches } = counting(store);
    const writer = new CdsResultWriter(counted);
    const ids = ['a', 'b', 'c', 'd', 'e'];
    const cards = ids.map(card);
    await Promise.all(ids.map((id, i) => writer.write(subject(id, 'candidate'), cards[i])));
    expect(batches).toEqual([1, 4]);
    for (const id of ids) expect((await store.getSubject(id))?.status).toBe('candidate');
    // Every card was recorded: feedback on each is accepted.
    const feedback = cards.map((c) => ({ card: c.uuid, outcome: 'accepted' as const, outcomeTimestamp: '2026-11-26T10:00:00Z' }));
    expect(await store.cdsFeedback!.addFeedback('belimumab-iim-prescreen', feedback)).toEqual({ unknownCards: [] });
  });

  it('stores a patient screened twice in one batch once, from the later screening', async () => {
    store = await openTestStore();
    const writer = new CdsResultWriter(store);
    const first = writer.write(subject('x', 'candidate'), undefined);
    await Promise.all([writer.write(subject('y', 'ineligible'), undefined), writer.write(subject('y', 'potential-candidate'), undefined), first]);
    const y = await store.getSubject('y');
    expect(y?.status).toBe('potential-candidate');
    expect(y?.resource['meta']).toMatchObject({ versionId: '1' });
  });

  it('fails the calls of a batch whose write fails, and goes on with the next', async () => {
    store = await openTestStore();
    const inner = store;
    let fail = true;
    const flaky = Object.create(inner) as Store;
    Object.defineProperty(flaky, 'writeSubjects', {
      value: async (subjects: Parameters<Store['writeSubjects']>[0]) => {
        if (fail) throw new Error('disk full');
        return inner.writeSubjects(subjects);
      },
    });
    const writer = new CdsResultWriter(flaky);
    await expect(writer.write(subject('p', 'candidate'), card('p'))).rejects.toThrow('disk full');
    fail = false;
    await writer.write(subject('q', 'candidate'), card('q'));
    expect(await inner.getSubject('p')).toBeUndefined();
    expect((await inner.getSubject('q'))?.status).toBe('candidate');
  });
});
