// E4 (`exc-immunoglobulin-deficiency`): `met` if the latest IgG within 12 months is < 400 mg/dL
// or the latest IgA within 12 months is < 10 mg/dL; `not-met` only if both are present in that
// window and at or above those limits. Open. A value whose unit cannot be converted, an older
// (stale) value, or a partial date straddling the window's start all read as missing, and the
// reason says which.

import type { EligibilityModel, LabResult } from '../../mapping/model.js';
import type { MissingData } from '../types.js';
import { compareToLimit, valueText } from '../common/lab-limit.js';
import { dateText, listText } from '../common/labels.js';
import { latestLab } from '../common/latest-lab.js';
import { missingTest } from '../common/missing-data.js';
import { decided, undecided } from '../common/outcome.js';
import { monthsWindow, type LookbackWindow } from '../common/windows.js';
import type { Criterion } from '../types.js';
import { thresholdsOf } from './thresholds.js';

interface Reading {
  state: 'below' | 'at-or-above' | 'missing';
  text: string;
  evidence: string[];
  missing?: MissingData;
}

function readLatest(model: EligibilityModel, test: string, name: string, limit: number, window: LookbackWindow): Reading {
  const unit = model.tests[test]?.unit ?? 'mg/dL';
  const found = latestLab(model, [test], window.from);
  const at = (l: LabResult): string => (l.date ? ` on ${dateText(l.date)}` : '');
  const missing = (text: string, evidence: LabResult[], why: string): Reading => ({
    state: 'missing',
    text,
    evidence: evidence.map((l) => l.ref),
    missing: missingTest(model, test, why),
  });
  if (found.latest.length === 0) {
    const stale = found.stale[0];
    if (found.straddling.length > 0) {
      const l = found.straddling[0]!;
      return missing(`${name} ${l.valueText}${at(l)} may or may not lie within ${window.label} before ${model.asOf}`, found.straddling, `a result since ${window.from}`);
    }
    if (stale) return missing(`the latest ${name} (${stale.valueText}${at(stale)}) is older than ${window.label}`, [stale], `a result since ${window.from}`);
    if (found.undated.length > 0) return missing(`the ${name} result has no date`, found.undated, `a dated result since ${window.from}`);
    return missing(`no ${name} result within ${window.label}`, [], `a result since ${window.from}`);
  }
  const readings = found.latest.map((l) => {
    if (l.value === undefined) return { lab: l, reading: 'unusable' as const };
    return { lab: l, reading: compareToLimit(l, limit) };
  });
  const first = readings[0]!;
  if (readings.some((r) => r.reading !== first.reading)) {
    return missing(`conflicting ${name} results on ${dateText(first.lab.date!)}: ${listText(found.latest.map((l) => l.valueText))}`, found.latest, 'one confirmed result');
  }
  const l = first.lab;
  if (first.reading === 'unusable') {
    return missing(`${name} ${l.valueText}${at(l)} counts as missing: ${l.valueProblem ?? 'no numeric value'}`, [l], `a value in ${unit}`);
  }
  const value = valueText(l, l.unit ?? unit);
  if (first.reading === 'below') return { state: 'below', text: `${name} ${value}${at(l)} is below ${limit} ${unit}`, evidence: [l.ref] };
  if (first.reading === 'at-or-above') return { state: 'at-or-above', text: `${name} ${value}${at(l)} is at or above ${limit} ${unit}`, evidence: [l.ref] };
  return missing(`${name} ${value}${at(l)} does not say whether it is below ${limit} ${unit}`, [l], 'an exact value');
}

export const criterion: Criterion = {
  id: 'exc-immunoglobulin-deficiency',
  type: 'exclusion',
  evaluate(model) {
    const th = thresholdsOf(model)['exc-immunoglobulin-deficiency'];
    const window = monthsWindow(model.asOf, th.lookbackMonths);
    const igg = readLatest(model, 'igg', 'IgG', th.iggMinMgPerDl, window);
    const iga = readLatest(model, 'iga', 'IgA', th.igaMinMgPerDl, window);
    const both = [igg, iga];
    const low = both.filter((r) => r.state === 'below');
    if (low.length > 0) return decided('met', listText(low.map((r) => r.text)), low.flatMap((r) => r.evidence));
    if (both.every((r) => r.state === 'at-or-above')) {
      return decided('not-met', `${igg.text} and ${iga.text} (latest within ${window.label})`, both.flatMap((r) => r.evidence));
    }
    return undecided(`${listText(both.map((r) => r.text))}; both are needed within ${window.label} to rule out a deficiency`, {
      evidence: both.flatMap((r) => r.evidence),
      missingData: both.flatMap((r) => (r.missing ? [r.missing] : [])),
    });
  },
};

