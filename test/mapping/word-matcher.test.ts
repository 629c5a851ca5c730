// Name matching in free text (src/mapping/word-matcher.ts): whole words, any case, longest name
// first; suffix rules ("…mab"); and the memo every matcher answers through, which must give the
// same answer the first time and every time after, short text or long.

import { describe, expect, it } from 'vitest';
import { MEMO_LIMIT, TextMemo } from '../../src/mapping/text-memo.js';
import { SuffixMatcher, WordMatcher } from '../../src/mapping/word-matcher.js';
import { strengthMg } from '../../src/mapping/medication-dose.js';

describe('WordMatcher', () => {
  const names = new WordMatcher<string>([
    ['mycophenolic acid', 'mpa'],
    ['mycophenolate', 'mmf'],
    ['prednisone', 'prednisone'],
  ]);

  it('finds whole words in any case, longest name first, in order of mention', () => {
    expect(names.find('predniSONE 5 MG Oral Tablet')).toEqual(['prednisone']);
    expect(names.find('Mycophenolic-Acid 360 MG and prednisone')).toEqual(['mpa', 'prednisone']);
    expect(names.find('prednisolone 5 MG')).toEqual([]);
    expect(names.find('')).toEqual([]);
  });

  it('answers a long text (not remembered) the same as a short one', () => {
    const long = `${'x'.repeat(300)} prednisone`;
    expect(names.find(long)).toEqual(['prednisone']);
    expect(names.find(long)).toEqual(['prednisone']);
  });
});

describe('SuffixMatcher', () => {
  const suffixes = new SuffixMatcher([{ suffix: 'mab', classId: 'monoclonal-antibody' }]);

  it('finds a word ending in the suffix, any case, and only a whole word', () => {
    expect(suffixes.find('Rituximab 10 MG/ML Injectable Solution')).toEqual(['monoclonal-antibody']);
    expect(suffixes.find('BELIMUMAB 200 MG')).toEqual(['monoclonal-antibody']);
    expect(suffixes.find('mab')).toEqual([]);
    expect(suffixes.find('rituximabs')).toEqual([]);
    expect(suffixes.find('methotrexate')).toEqual([]);
    // Asked again: the remembered answer is the same.
    expect(suffixes.find('Rituximab 10 MG/ML Injectable Solution')).toEqual(['monoclonal-antibody']);
  });
});

describe('TextMemo', () => {
  it('works an answer out once per short text, and every time for a long one', () => {
    const seen: string[] = [];
    const memo = new TextMemo((text: string) => {
      seen.push(text);
      return text.length;
    });
    const long = 'y'.repeat(500);
    expect([memo.get('ab'), memo.get('ab'), memo.get(long), memo.get(long)]).toEqual([2, 2, 500, 500]);
    expect(seen).toEqual(['ab', long, long]);
  });

  it('remembers at most MEMO_LIMIT texts, however many different ones arrive (free text is input)', () => {
    const memo = new TextMemo((text: string) => text.length);
    for (let i = 0; i < MEMO_LIMIT + 100; i++) memo.get(`text ${i}`);
    expect(memo.size).toBeGreaterThan(0);
    expect(memo.size).toBeLessThanOrEqual(MEMO_LIMIT);
    expect(memo.get('constructor')).toBe(11);
  });
});

describe('strengthMg (remembered per name)', () => {
  it('reads the one mg strength, and says why when there is none or several', () => {
    for (let i = 0; i < 2; i++) {
      expect(strengthMg(['prednisone 5 MG Oral Tablet'])).toEqual({ mg: 5 });
      expect(strengthMg(['methotrexate 2.5 MG Oral Tablet'])).toEqual({ mg: 2.5 });
      expect(strengthMg(['tacrolimus 1 MG / 0.5 MG combination 2 MG'])).toEqual({ problem: 'the drug name has several strengths (a combination)' });
      expect(strengthMg(['prednisolone 3 MG/ML Oral Solution'])).toEqual({ problem: 'the drug is a concentration (mg/mL), so a product-unit dose has no mg' });
      expect(strengthMg(['Prednisone Oral Tablet'])).toEqual({ problem: 'the drug name states no mg strength' });
      expect(strengthMg(['Prednisone Oral Tablet', 'prednisone 10 MG Oral Tablet'])).toEqual({ mg: 10 });
      expect(strengthMg([])).toEqual({ problem: 'the drug name states no mg strength' });
    }
  });
});
