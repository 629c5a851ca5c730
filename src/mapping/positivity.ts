// "Positive" per codes.md §5.2: the interpretation is read first, then the value. Each side
// gives positive, negative or nothing; when both speak and disagree the reading is a conflict.

import type { CompiledStudy } from './compiled-study.js';
import { key } from './compiled-study.js';
import { isRecord, readCodings } from './fhir-values.js';
import type { CodingRef, Positivity } from './model.js';

type Side = 'positive' | 'negative' | 'conflict' | undefined;

export function interpretationSide(study: CompiledStudy, codings: readonly CodingRef[]): Side {
  const { system, positive, negative } = study.interpretation;
  let pos = false;
  let neg = false;
  for (const c of codings) {
    if (c.system !== system) continue;
    if (positive.has(c.code)) pos = true;
    else if (negative.has(c.code)) neg = true;
  }
  if (pos && neg) return 'conflict';
  return pos ? 'positive' : neg ? 'negative' : undefined;
}

/** A value[x] read qualitatively: valueBoolean, a coded result, or a result string. */
export function valueSide(study: CompiledStudy, value: unknown): Side {
  if (typeof value === 'boolean') return value ? 'positive' : 'negative';
  if (typeof value === 'string') return stringSide(study, value);
  if (!isRecord(value) || !('coding' in value || 'text' in value)) return undefined;
  let pos = false;
  let neg = false;
  for (const c of readCodings(value)) {
    const keys = study.index.match(c.system, c.code);
    if (keys.includes(key.positiveValue)) pos = true;
    if (keys.includes(key.negativeValue)) neg = true;
  }
  if (pos && neg) return 'conflict';
  if (pos || neg) return pos ? 'positive' : 'negative';
  return typeof value['text'] === 'string' ? stringSide(study, value['text']) : undefined;
}

function stringSide(study: CompiledStudy, s: string): Side {
  const t = s.trim().toLowerCase();
  if (study.interpretation.positiveStrings.has(t)) return 'positive';
  if (study.interpretation.negativeStrings.has(t)) return 'negative';
  return undefined;
}

/** Combines the sides in §5.2's order; a disagreement is a conflict with its reason. */
export function combine(interpretation: Side, value: Side): { positivity: Positivity; reason?: string } {
  if (interpretation === 'conflict') return { positivity: 'conflict', reason: 'the interpretation codes disagree' };
  if (value === 'conflict') return { positivity: 'conflict', reason: 'the coded value holds both a positive and a negative code' };
  if (interpretation && value && interpretation !== value) {
    return { positivity: 'conflict', reason: `the interpretation says ${interpretation} but the value says ${value}` };
  }
  const p = interpretation ?? value;
  if (!p) return { positivity: 'unknown' };
  return { positivity: p, reason: interpretation ? `interpretation ${p}` : `value ${p}` };
}
