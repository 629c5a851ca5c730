// Stores what patient-view calls produce, a batch at a time (storage/write-batcher.ts). Each
// call still answers only once its ResearchSubject and card are stored (the card links to the
// subject, and feedback is checked against the card). Within a batch, a patient screened twice
// is stored once, from the later call (the latest screening replaces the earlier);
// every card is kept. A trials-prescreen call writes one result per study it screened, in the
// same batch: a study's result is stored as that study's own service stores it.

import type { IssuedCard } from '../storage/cds-feedback-store.js';
import type { NewSubject, NewSubjectJson, Store } from '../storage/store.js';
import { WriteBatcher } from '../storage/write-batcher.js';

type CallSubject = NewSubject | NewSubjectJson;

export interface CallResult {
  subject: CallSubject;
  card: IssuedCard | undefined;
}

/** Far above what CDS_MAX_IN_FLIGHT lets wait; it only bounds one statement's size. */
const MAX_BATCH = 64;

export class CdsResultWriter {
  readonly #batcher: WriteBatcher<CallResult>;

  constructor(store: Store) {
    this.#batcher = new WriteBatcher(async (results) => {
      const latest = new Map<string, CallSubject>();
      for (const r of results) latest.set(r.subject.id, r.subject);
      await store.writeSubjects([...latest.values()]);
      const cards = results.flatMap((r) => (r.card ? [r.card] : []));
      if (cards.length > 0 && store.cdsFeedback) await store.cdsFeedback.recordCards(cards);
    }, MAX_BATCH);
  }

  write(subject: CallSubject, card: IssuedCard | undefined): Promise<void> {
    return this.#batcher.write([{ subject, card }]);
  }

  /** A call's results, one per study, never split over two batches. */
  writeAll(results: readonly CallResult[]): Promise<void> {
    return this.#batcher.write(results);
  }
}
