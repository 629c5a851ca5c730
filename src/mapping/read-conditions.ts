// Condition → Diagnosis. Dropped: entered-in-error anywhere, and verificationStatus refuted /
// entered-in-error. `differential` is kept with its verificationStatus: a criterion that leaves
// differential diagnoses out does so itself.

import { addDays, addMonths, addYears, rangeOnOrBefore, type DayRange, type IsoDay } from '../fhir/dates.js';
import type { RecordEntry } from '../ingest/patient-record.js';
import type { CompiledStudy } from './compiled-study.js';
import { Extraction } from './fhirpath-extract.js';
import { choiceType, isRecord, readDate } from './fhir-values.js';
import type { CodingRef, Diagnosis } from './model.js';

const NOT_COUNTED = new Set(['refuted', 'entered-in-error']);

/** onset[x]/abatement[x] as a day range: dateTime, Period.start (or end), or Age from birthDate. */
function readOnsetLike(
  value: unknown,
  what: string,
  sentAs: string | undefined,
  birth: DayRange | undefined,
  problems: string[],
  usePeriodEnd: boolean,
): DayRange | undefined {
  if (value === undefined || typeof value === 'boolean') return undefined;
  if (typeof value === 'string') {
    if (sentAs !== undefined && sentAs !== 'DateTime' && sentAs !== 'String') {
      problems.push(`${what}${sentAs} is not a ${sentAs}`);
      return undefined;
    }
    const d = readDate(value, what, []);
    if (!d) problems.push(`${what} is text, not a date`);
    return d;
  }
  if (!isRecord(value)) {
    problems.push(`${what} is not a date, Period or Age`);
    return undefined;
  }
  if ('start' in value || 'end' in value) {
    const first = usePeriodEnd ? value['end'] ?? value['start'] : value['start'] ?? value['end'];
    return readDate(first, `${what} (Period)`, problems);
  }
  if ('value' in value) return ageToRange(value, what, birth, problems);
  if ('low' in value || 'high' in value) {
    problems.push(`${what} is a Range, which is not read`);
    return undefined;
  }
  problems.push(`${what} is not a date, Period or Age`);
  return undefined;
}

/** Age units (UCUM) → how a birthday moves; keyed by the unit as sent, so a Map. */
const AGE_STEPS: ReadonlyMap<string, (d: IsoDay, k: number) => IsoDay> = new Map([
  ['a', addYears],
  ['mo', addMonths],
  ['wk', (d: IsoDay, k: number) => addDays(d, 7 * k)],
  ['d', addDays],
]);

/**
 * An Age onset counts from birthDate: `40 a` is the year of life from the 40th
 * birthday to the day before the 41st, widened by any imprecision of the birthDate itself.
 */
function ageToRange(age: Record<string, unknown>, what: string, birth: DayRange | undefined, problems: string[]): DayRange | undefined {
  const n = age['value'];
  const unit = typeof age['code'] === 'string' ? age['code'] : age['unit'];
  if (typeof n !== 'number' || !Number.isInteger(n) || n < 0) {
    problems.push(`${what} Age needs a whole, non-negative number`);
    return undefined;
  }
  const add = typeof unit === 'string' ? AGE_STEPS.get(unit) : undefined;
  if (!add) {
    problems.push(`${what} Age unit ${typeof unit === 'string' ? `'${unit}'` : '(none)'} is not a, mo, wk or d`);
    return undefined;
  }
  if (!birth) {
    problems.push(`${what} is an Age but the birthDate is unknown`);
    return undefined;
  }
  return { earliest: add(birth.earliest, n), latest: addDays(add(birth.latest, n + 1), -1) };
}

export function readCondition(
  study: CompiledStudy,
  entry: RecordEntry,
  concepts: string[],
  coding: CodingRef,
  birth: DayRange | undefined,
  asOf: IsoDay,
): Diagnosis | undefined {
  const x = new Extraction(study.extract.Condition, entry.resource);
  const verificationStatus = x.firstString('verificationStatus');
  const clinicalStatus = x.firstString('clinicalStatus');
  if (verificationStatus && NOT_COUNTED.has(verificationStatus)) return undefined;
  if (clinicalStatus === 'entered-in-error') return undefined;
  const problems = x.problems;
  const d: Diagnosis = { ref: entry.ref, concepts, coding, abated: false, problems };
  const text = x.firstString('text');
  if (text) d.text = text;
  if (clinicalStatus) d.clinicalStatus = clinicalStatus;
  if (verificationStatus) d.verificationStatus = verificationStatus;

  const onset = readOnsetLike(x.one('onset'), 'onset', choiceType(entry.resource, 'onset'), birth, problems, false);
  if (onset) d.onset = onset;
  const recorded = readDate(x.one('recordedDate'), 'recordedDate', problems);
  if (recorded) d.recorded = recorded;

  const abatementValue = x.one('abatement');
  const abatementBoolean = x.one('abatementBoolean');
  if (abatementBoolean === true) d.abated = true;
  if (typeof abatementValue === 'string' && typeof entry.resource['abatementString'] === 'string') {
    d.abated = true; // abatementString ("in remission") counts as an abatement
  } else {
    const abatement = readOnsetLike(abatementValue, 'abatement', choiceType(entry.resource, 'abatement'), birth, problems, true);
    if (abatement) {
      d.abatement = abatement;
      // Only an abatement surely on or before D ends the condition; a straddling one keeps it active.
      if (rangeOnOrBefore(abatement, asOf) === 'yes') d.abated = true;
    }
  }
  return d;
}
