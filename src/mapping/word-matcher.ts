// Finds names as whole words, any case, in free text: the last-resort medication match
// ("predniSONE 5 MG Oral Tablet") and the route and dose-form words. One regex per matcher,
// longest names first, so "mycophenolic acid" wins over a shorter name inside it.

import { TextMemo } from './text-memo.js';

function key(word: string): string {
  return word.toLowerCase().replace(/[\s-]+/g, ' ').trim();
}

function escape(word: string): string {
  return key(word)
    .split(' ')
    .map((part) => part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'))
    .join('[\\s-]+');
}

const NONE: readonly never[] = Object.freeze([]);

export class WordMatcher<T> {
  private readonly targets = new Map<string, T[]>();
  /** Undefined when there are no words to find. */
  private readonly memo: TextMemo<readonly T[]> | undefined;

  constructor(entries: Iterable<[word: string, target: T]>) {
    for (const [word, target] of entries) {
      const k = key(word);
      const list = this.targets.get(k) ?? [];
      if (!list.includes(target)) list.push(target);
      this.targets.set(k, list);
    }
    const words = [...this.targets.keys()].sort((a, b) => b.length - a.length);
    if (words.length === 0) return;
    const regex = new RegExp(`(?<![A-Za-z0-9])(?:${words.map(escape).join('|')})(?![A-Za-z0-9])`, 'gi');
    this.memo = new TextMemo((text) => Object.freeze(this.scan(regex, text)));
  }

  /**
   * Every target named in the text, in order of first mention. The same drug and route texts
   * recur on every record of a course, and a scan of one large alternation is slow, so answers
   * are remembered (frozen: callers share them).
   */
  find(text: string): readonly T[] {
    return this.memo === undefined || text.length === 0 ? NONE : this.memo.get(text);
  }

  private scan(regex: RegExp, text: string): T[] {
    const out: T[] = [];
    for (const m of text.matchAll(regex)) {
      for (const t of this.targets.get(key(m[0])) ?? []) if (!out.includes(t)) out.push(t);
    }
    return out;
  }
}

/**
 * Classes named by a word ending (monoclonal antibodies: "…mab"), found as a whole word in free
 * text, any case; answers remembered like WordMatcher's.
 */
export class SuffixMatcher {
  private readonly memo: TextMemo<readonly string[]>;

  constructor(rules: readonly { suffix: string; classId: string }[]) {
    const compiled = rules.map((r) => ({ regex: new RegExp(`(?<![A-Za-z0-9])[A-Za-z]+${r.suffix}(?![A-Za-z0-9])`, 'i'), classId: r.classId }));
    this.memo = new TextMemo((text) => {
      const out: string[] = [];
      for (const r of compiled) if (!out.includes(r.classId) && r.regex.test(text)) out.push(r.classId);
      return out.length === 0 ? NONE : Object.freeze(out);
    });
  }

  /** The classes whose suffix ends a word of the text, in rule order. */
  find(text: string): readonly string[] {
    return text.length === 0 ? NONE : this.memo.get(text);
  }
}
