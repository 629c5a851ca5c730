// Answers about short texts, remembered. The same drug names, routes and dose forms recur on
// every record of a course and in every patient, and reading one (a regex over it) costs far
// more than a Map lookup.

export const MEMO_LIMIT = 10_000;
const MEMO_TEXT_LIMIT = 200;

/**
 * `compute(text)`, remembered per text. Long free text is worked out every time (it seldom
 * recurs, and the memo stays small); the memo empties when full.
 */
export class TextMemo<T> {
  private readonly memo = new Map<string, T>();

  constructor(private readonly compute: (text: string) => T) {}

  /** How many answers are remembered (never more than MEMO_LIMIT). */
  get size(): number {
    return this.memo.size;
  }

  get(text: string): T {
    if (text.length > MEMO_TEXT_LIMIT) return this.compute(text);
    let out = this.memo.get(text);
    if (out === undefined) {
      out = this.compute(text);
      if (this.memo.size >= MEMO_LIMIT) this.memo.clear();
      this.memo.set(text, out);
    }
    return out;
  }
}

