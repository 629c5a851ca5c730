// Core set measures (assessments.yaml): the latest assessment of some measures within a look-back,
// read like lab values (latest-lab.ts): results after D are unknown at D, older ones
// are stale (missing), a partial date straddling the window's start may or may not count, and a
// value whose unit cannot be converted is missing with its reason.

import { rangeInWindow, type IsoDay } from '../../fhir/dates.js';
import type { Assessment, EligibilityModel } from '../../mapping/model.js';
import { dateText } from './labels.js';
import { assessmentsOf } from './results-by-test.js';
import { testDisplay } from './missing-data.js';
import type { MissingData } from '../types.js';

export interface MeasureReading {
  /** The usable latest value(s) on the latest day; empty when missing. */
  latest: Assessment[];
  /** Why it reads as missing, for reasons. */
  missingText?: string;
  missing?: MissingData;
  /** Records looked at (for evidence of an unknown). */
  seen: Assessment[];
}

function newestFirst(a: Assessment, b: Assessment): number {
  const al = a.date!.latest;
  const bl = b.date!.latest;
  if (al !== bl) return al < bl ? 1 : -1;
  const ae = a.date!.earliest;
  const be = b.date!.earliest;
  if (ae !== be) return ae < be ? 1 : -1;
  return a.ref < b.ref ? -1 : a.ref > b.ref ? 1 : 0;
}

export function latestMeasure(
  model: EligibilityModel,
  measures: string[],
  from: IsoDay,
  name: string,
  windowLabel: string,
  options: { numeric?: boolean } = {},
): MeasureReading {
  const numeric = options.numeric ?? true;
  const all = assessmentsOf(model, measures);
  const inside = all.filter((a) => a.date && rangeInWindow(a.date, from, model.asOf) === 'yes').sort(newestFirst);
  const straddling = all.filter((a) => a.date && rangeInWindow(a.date, from, model.asOf) === 'maybe');
  const stale = all.filter((a) => a.date && a.date.latest < from).sort(newestFirst);
  const missing = (text: string, seen: Assessment[], why: string): MeasureReading => {
    const m: MissingData = { text: `${name}${missingCodes(model, measures)}: ${why}` };
    const query = queryFor(model, measures);
    if (query) m.query = query;
    return { latest: [], missingText: text, missing: m, seen };
  };
  const first = inside[0];
  if (!first) {
    if (straddling.length > 0) return missing(`${name} ${straddling[0]!.valueText} (${dateText(straddling[0]!.date!)}) may or may not lie within ${windowLabel} before ${model.asOf}`, straddling, `a result since ${from}`);
    if (stale[0]) return missing(`the latest ${name} (${stale[0].valueText} on ${dateText(stale[0].date!)}) is older than ${windowLabel}`, [stale[0]], `a result since ${from}`);
    const undated = all.filter((a) => !a.date);
    if (undated.length > 0) return missing(`the ${name} result has no date`, undated, `a dated result since ${from}`);
    return missing(`no ${name} within ${windowLabel}`, [], `a result since ${from}`);
  }
  const sameDay = inside.filter((a) => newestFirst(a, first) === 0 || (a.date!.earliest === first.date!.earliest && a.date!.latest === first.date!.latest));
  if (numeric) {
    // A value with a problem (an MMT-8 whose scale is not stated) is not used: never guessed.
    const usable = (a: Assessment) => a.value !== undefined && a.valueProblem === undefined;
    if (!sameDay.some(usable)) {
      return missing(`${name} ${first.valueText} on ${dateText(first.date!)} counts as missing: ${first.valueProblem ?? 'no numeric value'}`, sameDay, 'a value in a convertible unit');
    }
    return { latest: sameDay.filter(usable), seen: sameDay };
  }
  return { latest: sameDay, seen: sameDay };
}

function missingCodes(model: EligibilityModel, measures: string[]): string {
  const codes = measures.flatMap((m) => model.tests[m]?.codings ?? []).map((c) => c.code);
  return codes.length > 0 ? ` (local code ${[...new Set(codes)].join(', ')})` : '';
}

/** A FHIR search over several measures' or labs' codes. */
export function queryFor(model: EligibilityModel, ids: string[]): string | undefined {
  const tokens = ids.flatMap((id) => model.tests[id]?.codings ?? []).map((c) => `${c.system}|${c.code}`);
  return tokens.length > 0 ? `Observation?patient=${model.patient.id}&code=${[...new Set(tokens)].join(',')}` : undefined;
}

export function measureLabel(model: EligibilityModel, a: Assessment): string {
  const when = a.date ? ` on ${dateText(a.date)}` : '';
  const value = a.value !== undefined ? `${a.value}${a.unit && a.unit !== '{score}' ? ` ${a.unit}` : ''}` : a.valueText;
  return `${testDisplay(model, a.measure)} ${value}${when} (${a.ref})`;
}
