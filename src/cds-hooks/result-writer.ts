// Stores what patient-view calls produce, a batch at a time. Each call still answers only once
// its ResearchSubject and card are stored (the card links to the subject, and feedback is
// checked against the card); but while one write runs, the calls that finish meanwhile wait
// for the next write together, so under load a statement carries many calls instead of each
// call paying a statement of its own. With one call at a time nothing waits: it is written at once.
// Within a batch, a patient screened twice is stored once, from the later call (api.md: the
// latest screening replaces the earlier); every card is kept.

import type { IssuedCard } from '../storage/cds-feedback-store.js';
import type { Store, StoredSubject } from '../storage/store.js';

type NewSubject = Omit<StoredSubject, 'lastUpdated'>;

interface Pending {
  subject: NewSubject;
  card: IssuedCard | undefined;
  resolve(): void;
  reject(error: unknown): void;
}

/** Far above what CDS_MAX_IN_FLIGHT lets wait; it only bounds one statement's size. */
const MAX_BATCH = 64;

export class CdsResultWriter {
  #pending: Pending[] = [];
  #writing = false;

  constructor(private readonly store: Store) {}

  write(subject: NewSubject, card: IssuedCard | undefined): Promise<void> {
    return new Promise((resolve, reject) => {
      this.#pending.push({ subject, card, resolve, reject });
      if (!this.#writing) void this.#drain();
    });
  }

  async #drain(): Promise<void> {
    this.#writing = true;
    try {
      while (this.#pending.length > 0) {
        const batch = this.#pending.splice(0, MAX_BATCH);
        try {
          const latest = new Map<string, NewSubject>();
          for (const p of batch) latest.set(p.subject.id, p.subject);
          await this.store.upsertSubjects([...latest.values()]);
          const cards = batch.flatMap((p) => (p.card ? [p.card] : []));
          if (cards.length > 0 && this.store.cdsFeedback) await this.store.cdsFeedback.recordCards(cards);
          for (const p of batch) p.resolve();
        } catch (error) {
          for (const p of batch) p.reject(error);
        }
        // The calls that finished screening during that write are still events in the queue
        // (an embedded database writes on this thread): let them arrive before the next batch.
        await new Promise<void>((resolve) => setImmediate(resolve));
      }
    } finally {
      this.#writing = false;
    }
  }
}
