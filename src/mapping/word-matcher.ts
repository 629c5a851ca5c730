// Finds names as whole words, any case, in free text: the last-resort medication match
// ("predniSONE 5 MG Oral Tablet") and the route and dose-form words. One regex per matcher,
// longest names first, so "mycophenolic acid" wins over a shorter name inside it.

function key(word: string): string {
  return word.toLowerCase().replace(/[\s-]+/g, ' ').trim();
}

function escape(word: string): string {
  return key(word)
    .split(' ')
    .map((part) => part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'))
    .join('[\\s-]+');
}

export class WordMatcher<T> {
  private readonly regex: RegExp | undefined;
  private readonly targets = new Map<string, T[]>();

  constructor(entries: Iterable<[word: string, target: T]>) {
    for (const [word, target] of entries) {
      const k = key(word);
      const list = this.targets.get(k) ?? [];
      if (!list.includes(target)) list.push(target);
      this.targets.set(k, list);
    }
    const words = [...this.targets.keys()].sort((a, b) => b.length - a.length);
    this.regex = words.length === 0 ? undefined : new RegExp(`(?<![A-Za-z0-9])(?:${words.map(escape).join('|')})(?![A-Za-z0-9])`, 'gi');
  }

  /** Every target named in the text, in order of first mention. */
  find(text: string): T[] {
    if (!this.regex || text.length === 0) return [];
    const out: T[] = [];
    for (const m of text.matchAll(this.regex)) {
      for (const t of this.targets.get(key(m[0])) ?? []) if (!out.includes(t)) out.push(t);
    }
    return out;
  }
}
