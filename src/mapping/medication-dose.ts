// Dose in mg: doseQuantity converted with UCUM; a dose in product units
// (none, tablet, capsule) × the single `N MG` strength in the drug's name; daily = dose ×
// administrations per day (timing.repeat frequency/period/periodUnit, else a timing code).
// When any step is unclear the dose is unknown and `problem` says why.

import type { CompiledStudy } from './compiled-study.js';
import { isRecord, readCodings, readQuantity } from './fhir-values.js';
import type { MedicationDose } from './model.js';
import { clean, conversionFactor } from './units.js';
import { TextMemo } from './text-memo.js';

const STRENGTH = /(?<![\d.])(\d+(?:\.\d+)?)\s*MG\b/gi;
// "4 MG/ML", "2 MG/5 ML", "0.1 MG/HR", "50 MG/ACTUAT": an amount per volume or time, not per unit.
const CONCENTRATION = /\d\s*MG\s*\/\s*(?:\d+(?:\.\d+)?\s*)?(?:M?L|HR|ACTUAT)\b/i;

type Strength = Readonly<{ mg?: number; problem?: string }>;

const NO_STRENGTH: Strength = Object.freeze({ problem: 'the drug name states no mg strength' });

/** What one name says: a strength, a problem, or nothing (NO_STRENGTH: look at the next name). */
function strengthInName(name: string): Strength {
  if (CONCENTRATION.test(name)) return Object.freeze({ problem: 'the drug is a concentration (mg/mL), so a product-unit dose has no mg' });
  const all = [...name.matchAll(STRENGTH)].map((m) => Number(m[1]));
  if (all.length === 1) return Object.freeze({ mg: all[0]! });
  if (all.length > 1) return Object.freeze({ problem: 'the drug name has several strengths (a combination)' });
  return NO_STRENGTH;
}

/** Every record of a course names the same drug: each name is read once. */
const STRENGTHS = new TextMemo(strengthInName);

/** The one mg strength in a drug name; a concentration or several strengths → a problem. */
export function strengthMg(names: string[]): Strength {
  for (const name of names) {
    const s = STRENGTHS.get(name);
    if (s !== NO_STRENGTH) return s;
  }
  return NO_STRENGTH;
}

function perAdministration(study: CompiledStudy, dose: unknown, names: string[]): { mg?: number; problem?: string } {
  const problems: string[] = [];
  const q = readQuantity(dose, 'dose', problems);
  if (!q) return { problem: problems[0] ?? 'no dose quantity' };
  const unit = q.unit ?? '';
  if (study.timing.productUnits.has(unit.toLowerCase())) {
    const s = strengthMg(names);
    return s.mg === undefined ? { problem: s.problem! } : { mg: clean(q.value * s.mg) };
  }
  const f = conversionFactor(unit, 'mg');
  if (f === undefined) return { problem: `dose unit '${unit}' cannot be converted to mg` };
  return { mg: clean(q.value * f) };
}

function perDay(study: CompiledStudy, timing: unknown): { n?: number; problem?: string } {
  if (!isRecord(timing)) return { problem: 'no dosing frequency' };
  const repeat = timing['repeat'];
  if (isRecord(repeat) && (repeat['period'] !== undefined || repeat['frequency'] !== undefined)) {
    const frequency = repeat['frequency'] ?? 1;
    const period = repeat['period'] ?? 1;
    const unit = repeat['periodUnit'];
    const days = typeof unit === 'string' ? study.timing.periodUnitDays.get(unit) : undefined;
    if (typeof frequency !== 'number' || typeof period !== 'number' || period <= 0 || frequency <= 0 || days === undefined) {
      return { problem: 'the dosing frequency cannot be read' };
    }
    return { n: frequency / (period * days) };
  }
  for (const c of readCodings(timing['code'])) {
    if (c.system !== study.timing.codeSystem) continue;
    const n = study.timing.perDay.get(c.code);
    if (n !== undefined) return { n };
  }
  return { problem: 'no dosing frequency' };
}

/** Dosage lines (Dosage[] or MedicationAdministration.dosage) → one dose. Lines sum per day. */
export function doseOf(study: CompiledStudy, dosages: unknown[], names: string[], administration: boolean): MedicationDose {
  const lines = dosages.filter(isRecord);
  if (lines.length === 0) return { problem: 'no dosage' };
  const sequences = new Set(lines.map((l) => l['sequence']));
  if (sequences.size > 1) return { problem: 'sequential dosage instructions (a taper) are not summed' };
  let perAdmin = 0;
  let daily = 0;
  for (const line of lines) {
    const doses = administration
      ? [line['dose']]
      : Array.isArray(line['doseAndRate'])
        ? line['doseAndRate'].filter(isRecord).map((d) => d['doseQuantity'] ?? d['doseRange'])
        : [];
    if (doses.length !== 1) return { problem: doses.length === 0 ? 'no dose quantity' : 'several doses in one dosage line' };
    const one = perAdministration(study, doses[0], names);
    if (one.mg === undefined) return { problem: one.problem! };
    perAdmin += one.mg;
    // An administration is one event on its day: its dose is that day's dose from this record.
    if (administration) daily += one.mg;
    else {
      const f = perDay(study, line['timing']);
      if (f.n === undefined) return lines.length === 1 ? { perAdministrationMg: clean(perAdmin), problem: f.problem! } : { problem: f.problem! };
      daily += one.mg * f.n;
    }
  }
  // Split doses (10 mg mornings, 5 mg evenings) have a daily dose but no single per-administration dose.
  return lines.length === 1 ? { perAdministrationMg: clean(perAdmin), dailyMg: clean(daily) } : { dailyMg: clean(daily) };
}
