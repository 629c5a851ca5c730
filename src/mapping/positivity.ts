// "Positive" per interpretation.yaml: the interpretation is read first, then the value. Each side
// gives positive, negative or nothing; when both speak and disagree the reading is a conflict.

import type { CompiledStudy } from './compiled-study.js';
import { key } from './compiled-study.js';
import { foldCodings, isRecord } from './fhir-values.js';
import type { Positivity } from './model.js';

type Side = 'positive' | 'negative' | 'conflict' | undefined;

// Each side is folded into two bits over the codings, without a list of them: this runs for
// every lab reading.
const POS = 1;
const NEG = 2;

function sideOf(bits: number): Side {
  if (bits === (POS | NEG)) return 'conflict';
  return bits === POS ? 'positive' : bits === NEG ? 'negative' : undefined;
}

function interpretationStep(bits: number, system: string, code: string, _coding: unknown, study: CompiledStudy): number {
  const i = study.interpretation;
  if (system !== i.system) return bits;
  if (i.positive.has(code)) return bits | POS;
  return i.negative.has(code) ? bits | NEG : bits;
}

/** Observation.interpretation (its codings, or the CodeableConcepts) read for positivity. */
export function interpretationSide(study: CompiledStudy, interpretation: unknown): Side {
  return sideOf(foldCodings(interpretation, study, interpretationStep, 0));
}

function valueStep(bits: number, system: string, code: string, _coding: unknown, study: CompiledStudy): number {
  const keys = study.index.match(system, code);
  return bits | (keys.includes(key.positiveValue) ? POS : 0) | (keys.includes(key.negativeValue) ? NEG : 0);
}

/** A value[x] read qualitatively: valueBoolean, a coded result, or a result string. */
export function valueSide(study: CompiledStudy, value: unknown): Side {
  if (typeof value === 'boolean') return value ? 'positive' : 'negative';
  if (typeof value === 'string') return stringSide(study, value);
  if (!isRecord(value) || !('coding' in value || 'text' in value)) return undefined;
  const coded = sideOf(foldCodings(value, study, valueStep, 0));
  if (coded) return coded;
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
