// ANA-style titres → the denominator N of 1:N. A Ratio (numerator ≠ 1 gives
// denominator / numerator), a string `1:N` / `>1:N` / `<1:N`, or a Quantity with no unit or a
// titre unit. Anything else is no titre.

import type { CompiledStudy } from './compiled-study.js';
import { isRecord } from './fhir-values.js';
import type { LabResult } from './model.js';

const TITRE = /^\s*([<>])?\s*1\s*[:/]\s*(\d+(?:\.\d+)?)\s*$/;

export function readTitre(study: CompiledStudy, value: unknown): LabResult['titre'] | undefined {
  if (typeof value === 'string') {
    const m = TITRE.exec(value);
    if (!m) return undefined;
    const t: NonNullable<LabResult['titre']> = { denominator: Number(m[2]) };
    if (m[1] === '<' || m[1] === '>') t.comparator = m[1];
    return t;
  }
  if (!isRecord(value)) return undefined;
  if (isRecord(value['numerator']) || isRecord(value['denominator'])) {
    const n = isRecord(value['numerator']) ? value['numerator']['value'] : undefined;
    const d = isRecord(value['denominator']) ? value['denominator']['value'] : undefined;
    if (typeof n !== 'number' || typeof d !== 'number' || n <= 0 || d <= 0) return undefined;
    return { denominator: n === 1 ? d : d / n };
  }
  const v = value['value'];
  if (typeof v !== 'number' || v <= 0) return undefined;
  const unit = typeof value['code'] === 'string' ? value['code'] : value['unit'];
  if (unit !== undefined && unit !== '' && !(typeof unit === 'string' && study.interpretation.titreUnits.has(unit))) return undefined;
  const t: NonNullable<LabResult['titre']> = { denominator: v };
  const cmp = value['comparator'];
  if (cmp === '<' || cmp === '>') t.comparator = cmp;
  return t;
}
