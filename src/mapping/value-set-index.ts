// All of a study's code rules in one lookup. Exact codes sit in a Map keyed `system|code`;
// prefix rows in a Map per system tried by progressively shorter prefixes of the code; the few
// ranges and regexes are scanned. Answers are memoised per system and code as sent (the answer
// is a function of both), so a code seen once costs two Map reads afterwards and no string is
// built: most codings of a record (vital signs, routine labs) match nothing, and they are
// asked about once per resource.

import type { CodeRow } from './schema.js';
import { normaliseCode, nthCharacter } from './code-normalise.js';

interface RangeRule {
  key: string;
  lo: string;
  hi: string;
  sixthCharacter?: string;
}

interface RegexRule {
  key: string;
  regex: RegExp;
}

interface SystemRules {
  prefixes: Map<string, string[]>;
  longestPrefix: number;
  ranges: RangeRule[];
  regexes: RegexRule[];
}

/** The most (system, code) answers remembered; the memo empties when full. */
export const MEMO_LIMIT = 50_000;
const NONE: readonly string[] = Object.freeze([]);

function addTo<K>(map: Map<K, string[]>, k: K, key: string): void {
  const list = map.get(k);
  if (!list) map.set(k, [key]);
  else if (!list.includes(key)) list.push(key);
}

/** Is the (normalised) code admitted by this one row? For exclusions and tests. */
export function rowMatches(row: CodeRow, system: string, code: string): boolean {
  const c = normaliseCode(system, code);
  const norm = (x: string) => normaliseCode(system, x);
  if (row.code !== undefined && c === norm(row.code)) return true;
  if (row.codes?.some((x) => c === norm(x))) return true;
  const prefixes = [...(row.prefix === undefined ? [] : [row.prefix]), ...(row.prefixes ?? [])];
  if (prefixes.some((p) => c.startsWith(norm(p)))) return true;
  if (row.range && inRange(c, norm(row.range[0]), norm(row.range[1]), row.sixthCharacter)) return true;
  if (row.regex !== undefined && new RegExp(row.regex).test(c)) return true;
  return false;
}

function inRange(code: string, lo: string, hi: string, sixth: string | undefined): boolean {
  if (code.slice(0, lo.length) < lo || code.slice(0, hi.length) > hi) return false;
  return sixth === undefined || nthCharacter(code, 6) === sixth;
}

const FIRST_SYSTEMS = 12;

export class ValueSetIndex {
  private readonly exact = new Map<string, string[]>();
  private readonly bySystem = new Map<string, SystemRules>();
  private readonly exclusions = new Map<string, { system: string; row: CodeRow }[]>();
  /** system → code as sent → answer. */
  private readonly memo = new Map<string, Map<string, readonly string[]>>();
  private memoCount = 0;
  /**
   * The first systems seen, with their memo: a Bundle's codings use a handful of systems, and
   * comparing a freshly parsed system URL with each (a length differs at once) costs less than
   * hashing it for the Map. Bounded, so a Bundle of a thousand made-up systems scans no more.
   */
  private readonly firstSystems: { system: string; codes: Map<string, readonly string[]> }[] = [];
  private readonly keys = new Set<string>();

  /** Adds a row's codes under `key` (e.g. `vs:dx-dm`, `lab:ck`, `agent:prednisone`). */
  include(key: string, system: string, row: CodeRow): void {
    this.keys.add(key);
    const norm = (x: string) => normaliseCode(system, x);
    for (const code of [...(row.code === undefined ? [] : [row.code]), ...(row.codes ?? [])]) {
      addTo(this.exact, `${system}|${norm(code)}`, key);
    }
    const rules = this.rulesFor(system);
    for (const p of [...(row.prefix === undefined ? [] : [row.prefix]), ...(row.prefixes ?? [])]) {
      const np = norm(p);
      addTo(rules.prefixes, np, key);
      rules.longestPrefix = Math.max(rules.longestPrefix, np.length);
    }
    if (row.range) {
      const rule: RangeRule = { key, lo: norm(row.range[0]), hi: norm(row.range[1]) };
      if (row.sixthCharacter !== undefined) rule.sixthCharacter = row.sixthCharacter;
      rules.ranges.push(rule);
    }
    if (row.regex !== undefined) rules.regexes.push({ key, regex: new RegExp(row.regex) });
    this.clearMemo();
  }

  exclude(key: string, system: string, row: CodeRow): void {
    const list = this.exclusions.get(key) ?? [];
    list.push({ system, row });
    this.exclusions.set(key, list);
    this.clearMemo();
  }

  /** How many answers are remembered (never more than MEMO_LIMIT). */
  get memoSize(): number {
    return this.memoCount;
  }

  has(key: string): boolean {
    return this.keys.has(key);
  }

  /** The keys whose value sets hold this code. Never throws on odd input. */
  match(system: unknown, code: unknown): readonly string[] {
    if (typeof system !== 'string' || typeof code !== 'string') return NONE;
    let bySystem: Map<string, readonly string[]> | undefined;
    for (const first of this.firstSystems) {
      if (first.system === system) {
        bySystem = first.codes;
        break;
      }
    }
    bySystem ??= this.memo.get(system);
    const hit = bySystem?.get(code);
    if (hit) return hit;
    if (code.trim() === '') return NONE;
    const c = normaliseCode(system, code);
    const found = this.compute(system, c, `${system}|${c}`);
    if (this.memoCount >= MEMO_LIMIT) {
      this.clearMemo();
      bySystem = undefined;
    }
    if (!bySystem) {
      bySystem = new Map();
      this.memo.set(system, bySystem);
      if (this.firstSystems.length < FIRST_SYSTEMS) this.firstSystems.push({ system, codes: bySystem });
    }
    bySystem.set(code, found);
    this.memoCount += 1;
    return found;
  }

  private clearMemo(): void {
    this.memo.clear();
    this.memoCount = 0;
    this.firstSystems.length = 0;
  }

  private compute(system: string, c: string, exactKey: string): readonly string[] {
    const found = new Set<string>(this.exact.get(exactKey) ?? NONE);
    const rules = this.bySystem.get(system);
    if (rules) {
      for (let len = Math.min(c.length, rules.longestPrefix); len > 0; len--) {
        for (const key of rules.prefixes.get(c.slice(0, len)) ?? NONE) found.add(key);
      }
      for (const r of rules.ranges) if (inRange(c, r.lo, r.hi, r.sixthCharacter)) found.add(r.key);
      for (const r of rules.regexes) if (r.regex.test(c)) found.add(r.key);
    }
    if (found.size === 0) return NONE;
    for (const key of found) {
      const ex = this.exclusions.get(key);
      if (ex?.some((e) => e.system === system && rowMatches(e.row, system, c))) found.delete(key);
    }
    return found.size === 0 ? NONE : Object.freeze([...found]);
  }

  private rulesFor(system: string): SystemRules {
    let rules = this.bySystem.get(system);
    if (!rules) {
      rules = { prefixes: new Map(), longestPrefix: 0, ranges: [], regexes: [] };
      this.bySystem.set(system, rules);
    }
    return rules;
  }
}
