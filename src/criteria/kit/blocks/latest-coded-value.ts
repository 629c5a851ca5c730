// Block `latest-coded-value`: the latest coded result within a look-back (a NYHA class), met when
// its code is in a `metWhen` value set and not-met when in a `notMetWhen` one. Results are
// Observations of `tests` whose coded value is in one of those sets, and, with
// `fromConditions: true`, Conditions coding one (dated by onset, else recorded date). Several on
// the latest day must agree; a latest value in neither set counts as missing. Nothing in the
// window: `whenMissing` (open by default); an older result decides nothing. An Observation's
// coded value is read through LabResult.valueConcepts (the value sets of the value's codes);
// a result with no coded value is unrecognised.

import Type, { type Static } from 'typebox';
import { rangeInWindow, type DayRange } from '../../../fhir/dates.js';
import type { EligibilityModel } from '../../../mapping/model.js';
import { conditionCounts } from '../../common/active-condition.js';
import { conditionLabel, dateText, listText } from '../../common/labels.js';
import { queryFor } from '../../common/latest-assessment.js';
import { testDisplay } from '../../common/missing-data.js';
import type { MissingData } from '../../types.js';
import { nothingFound } from '../missing.js';
import { kitDecided, kitOpen, type KitOutcome } from '../outcome.js';
import { Ids, lookback, WhenMissing, Window } from '../params.js';

export const LatestCodedValueParams = Type.Object(
  {
    tests: Type.Optional(Ids),
    fromConditions: Type.Optional(Type.Boolean()),
    within: Window,
    metWhen: Ids,
    notMetWhen: Ids,
    name: Type.Optional(Type.String({ minLength: 1 })),
    whenMissing: Type.Optional(WhenMissing),
  },
  { additionalProperties: false },
);
export type LatestCodedValueParams = Static<typeof LatestCodedValueParams>;

export function checkLatestCodedValue(p: LatestCodedValueParams): string | undefined {
  if (!p.tests && !p.fromConditions) return 'needs tests or fromConditions: true';
  const both = p.metWhen.filter((v) => p.notMetWhen.includes(v));
  return both.length > 0 ? `value set ${both.join(', ')} is in both metWhen and notMetWhen` : undefined;
}

interface Coded {
  ref: string;
  date?: DayRange | undefined;
  concepts: string[];
  label: string;
}

function coded(model: EligibilityModel, p: LatestCodedValueParams): Coded[] {
  const sets = [...p.metWhen, ...p.notMetWhen];
  const out: Coded[] = [];
  for (const l of model.labs) {
    if (!p.tests?.includes(l.test)) continue;
    const when = l.date ? ` on ${dateText(l.date)}` : ' (undated)';
    out.push({ ref: l.ref, date: l.date, concepts: l.valueConcepts ?? [], label: `${testDisplay(model, l.test)} ${l.valueText}${when} (${l.ref})` });
  }
  if (p.fromConditions) {
    for (const dx of model.diagnoses) {
      if (!conditionCounts(dx) || !dx.concepts.some((c) => sets.includes(c))) continue;
      const date = dx.onset ?? dx.recorded;
      out.push({ ref: dx.ref, date, concepts: dx.concepts, label: `${conditionLabel(dx)}${date ? ` dated ${dateText(date)}` : ' (undated)'}` });
    }
  }
  return out;
}

function newestFirst(a: Coded, b: Coded): number {
  if (a.date!.latest !== b.date!.latest) return a.date!.latest < b.date!.latest ? 1 : -1;
  return a.date!.earliest === b.date!.earliest ? 0 : a.date!.earliest < b.date!.earliest ? 1 : -1;
}

export function latestCodedValue(model: EligibilityModel, p: LatestCodedValueParams): KitOutcome {
  const window = lookback(model.asOf, p.within);
  const name = p.name ?? (listText((p.tests ?? []).map((t) => testDisplay(model, t))) || 'coded result');
  const all = coded(model, p);
  const missing = (why: string): MissingData[] => {
    const m: MissingData = { text: `${name}: ${why}` };
    const query = p.tests ? queryFor(model, p.tests) : undefined;
    if (query) m.query = query;
    return [m];
  };
  const inside = all.filter((c) => c.date && rangeInWindow(c.date, window.from, window.to) === 'yes').sort(newestFirst);
  const first = inside[0];
  if (!first) {
    const straddling = all.find((c) => c.date && rangeInWindow(c.date, window.from, window.to) === 'maybe');
    const why = straddling ? `${straddling.label} may or may not lie within ${window.label} before ${model.asOf}` : `no ${name} within ${window.label} before ${model.asOf}`;
    return nothingFound(p.whenMissing ?? 'open', why, missing(`a result since ${window.from}`), straddling ? [straddling.ref] : []);
  }
  const sameDay = inside.filter((c) => newestFirst(c, first) === 0);
  const read = sameDay.map((c) => ({ c, met: c.concepts.some((x) => p.metWhen.includes(x)), notMet: c.concepts.some((x) => p.notMetWhen.includes(x)) }));
  const known = read.filter((r) => r.met !== r.notMet);
  const text = listText(sameDay.map((c) => c.label));
  if (known.length === 0) {
    return nothingFound(p.whenMissing ?? 'open', `the latest ${name}, ${text}, is not a value this rule reads`, missing('a recognised value'), sameDay.map((c) => c.ref));
  }
  const refs = known.map((r) => r.c.ref);
  if (known.every((r) => r.met)) return kitDecided('met', `latest ${name}: ${text}`, refs);
  if (known.every((r) => r.notMet)) return kitDecided('not-met', `latest ${name}: ${text}`, refs);
  return kitOpen(`the latest ${name} results on the same day disagree: ${text}`, missing('a result that decides'), refs);
}
