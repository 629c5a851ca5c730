// Block `latest-value`: the latest lab result or score within a look-back against limits (a
// threshold or a band). The value used is the most recent one on or before D within the window;
// older ones are stale, which reads as missing, as does a latest value that cannot be used.
// Several results on the latest day must agree. A derived value (eGFR computed from creatinine)
// competes with the reported ones by date; on the same day the reported one wins.
//
// Limits are given in one of three ways:
//   - plain, in `unit` (the value is converted with UCUM) or in the lab's own unit;
//   - `relativeTo: uln`: multiples of the result's upper limit of normal;
//   - `byUnit`: one set of limits per unit family that must not be converted into each other
//     (HbA1c in % and in mmol/mol); a value in a unit of no listed family, or one UCUM would
//     convert into several, counts as missing.

import Type, { type Static } from 'typebox';
import { rangeInWindow, type Tri } from '../../../fhir/dates.js';
import type { EligibilityModel } from '../../../mapping/model.js';
import { clean, convert } from '../../../mapping/units.js';
import { listText } from '../../common/labels.js';
import { testDisplay } from '../../common/missing-data.js';
import { queryFor } from '../../common/latest-assessment.js';
import type { MissingData } from '../../types.js';
import { meetsLimits, scaleLimits } from '../compare.js';
import { derivedEgfr } from './derived-egfr.js';
import { nothingFound } from '../missing.js';
import type { NumericResult } from '../numeric-result.js';
import { reportedResults } from '../numeric-result.js';
import { kitDecided, kitOpen, type KitOutcome } from '../outcome.js';
import { hasLimit, Ids, Limits, limitsText, lookback, WhenMissing, Window, type LimitValues } from '../params.js';

const UnitLimits = Type.Object({ unit: Type.String({ minLength: 1 }), ...Limits }, { additionalProperties: false });

export const LatestValueParams = Type.Object(
  {
    /** Lab or measure ids (labs.yaml, assessments.yaml). */
    tests: Type.Optional(Ids),
    /** Values computed from other labs, competing with the reported ones. */
    derived: Type.Optional(Type.Array(Type.Object({ formula: Type.Literal('ckd-epi-2021'), from: Ids }, { additionalProperties: false }), { minItems: 1 })),
    within: Window,
    unit: Type.Optional(Type.String({ minLength: 1 })),
    relativeTo: Type.Optional(Type.Literal('uln')),
    ...Limits,
    byUnit: Type.Optional(Type.Array(UnitLimits, { minItems: 1 })),
    whenMissing: Type.Optional(WhenMissing),
  },
  { additionalProperties: false },
);
export type LatestValueParams = Static<typeof LatestValueParams>;

export function checkLatestValue(p: LatestValueParams): string | undefined {
  if (!p.tests && !p.derived) return 'needs tests or derived (or both)';
  if (p.byUnit) {
    if (hasLimit(p) || p.unit !== undefined || p.relativeTo !== undefined) return 'byUnit replaces unit, relativeTo and the limits: give one or the other';
    const blank = p.byUnit.find((f) => !hasLimit(f));
    return blank ? `byUnit ${blank.unit} has no limit` : undefined;
  }
  if (!hasLimit(p)) return 'needs a limit: atLeast, above, atMost or below (or byUnit)';
  if (p.relativeTo !== undefined && p.unit !== undefined) return 'relativeTo: uln limits are multiples, with no unit';
  return undefined;
}

function candidates(model: EligibilityModel, p: LatestValueParams): NumericResult[] {
  const out = p.tests ? reportedResults(model, p.tests) : [];
  for (const d of p.derived ?? []) out.push(...derivedEgfr(model, d.from));
  return out;
}

/** Newest first: latest possible day, then earliest possible day; reported before derived. */
function newestFirst(a: NumericResult, b: NumericResult): number {
  if (a.date!.latest !== b.date!.latest) return a.date!.latest < b.date!.latest ? 1 : -1;
  if (a.date!.earliest !== b.date!.earliest) return a.date!.earliest < b.date!.earliest ? 1 : -1;
  return Number(a.derived) - Number(b.derived);
}

type Reading = { tri: Tri; text: string } | { problem: string };

function readOne(r: NumericResult, p: LatestValueParams): Reading {
  if (r.problem !== undefined || r.value === undefined) return { problem: `${r.label} counts as missing: ${r.problem ?? 'no numeric value'}` };
  let value = r.value;
  let limits: LimitValues = p;
  let unit = p.unit ?? r.unit;
  if (p.byUnit) {
    const family = familyOf(r.unit, p.byUnit);
    if (!family) return { problem: `${r.label} counts as missing: no limit is set for unit '${r.unit ?? 'none'}' (limits are set for ${listText(p.byUnit.map((f) => f.unit))})` };
    value = convert(value, r.unit!, family.unit)!;
    limits = family;
    unit = family.unit;
  } else if (p.relativeTo === 'uln') {
    if (r.uln === undefined) return { problem: `${r.label} counts as missing: no upper limit of normal` };
    limits = scaleLimits(p, r.uln, clean);
    return verdict(r, meetsLimits(value, r.comparator, limits), `${limitsText(p)} × ULN ${r.uln}${r.unit ? ` ${r.unit}` : ''}`);
  } else if (p.unit !== undefined && r.unit !== p.unit) {
    const converted = r.unit === undefined ? undefined : convert(value, r.unit, p.unit);
    if (converted === undefined) return { problem: `${r.label} counts as missing: unit '${r.unit ?? 'none'}' cannot be converted to ${p.unit}` };
    value = converted;
  }
  return verdict(r, meetsLimits(value, r.comparator, limits), limitsText(limits, unit));
}

/**
 * The family whose unit the value is in (as written, or written with an annotation:
 * `%{HbA1c}` is `%`, while `10*-3`, numerically mmol/mol, is not); else the one family UCUM converts it into. UCUM treats the families' units
 * as plain ratios (1 mmol/mol = 0.1 %, which is not how IFCC and NGSP HbA1c relate), so a unit
 * that converts into more than one family belongs to none: missing.
 */
function familyOf(unit: string | undefined, families: LatestValueParams['byUnit'] & object): (typeof families)[number] | undefined {
  if (unit === undefined) return undefined;
  const exact = families.find((f) => f.unit === unit);
  if (exact) return exact;
  const bare = unit.replace(/\{[^}]*\}/g, '');
  const annotated = families.find((f) => f.unit === bare);
  if (annotated) return annotated;
  const convertible = families.filter((f) => convert(1, unit, f.unit) !== undefined);
  return convertible.length === 1 ? convertible[0] : undefined;
}

function verdict(r: NumericResult, tri: Tri, limits: string): Reading {
  const how = tri === 'yes' ? 'meets' : tri === 'no' ? 'does not meet' : 'may or may not meet, as written,';
  return { tri, text: `${r.label} ${how} ${limits}` };
}

export function latestValue(model: EligibilityModel, p: LatestValueParams): KitOutcome {
  const window = lookback(model.asOf, p.within);
  const policy = p.whenMissing ?? 'open';
  const all = candidates(model, p);
  const ids = [...(p.tests ?? []), ...(p.derived ?? []).flatMap((d) => d.from)];
  const name = listText([...new Set(ids)].map((id) => testDisplay(model, id)));
  const missing = (why: string): MissingData[] => {
    const m: MissingData = { text: `${name}: ${why}` };
    const query = queryFor(model, ids);
    if (query) m.query = query;
    return [m];
  };
  const windowText = `within ${window.label} before ${model.asOf} (${window.from} or later)`;
  const inside = all.filter((r) => r.date && rangeInWindow(r.date, window.from, window.to) === 'yes').sort(newestFirst);
  const first = inside[0];
  if (!first) {
    const straddling = all.filter((r) => r.date && rangeInWindow(r.date, window.from, window.to) === 'maybe');
    const stale = all.filter((r) => r.date && r.date.latest < window.from).sort(newestFirst);
    const undated = all.filter((r) => !r.date);
    const seen = straddling[0] ?? stale[0] ?? undated[0];
    const why = straddling[0]
      ? `${straddling[0].label} may or may not lie ${windowText}`
      : stale[0]
        ? `the latest ${name} (${stale[0].label}) is older than ${window.label}`
        : undated[0]
          ? `${undated[0].label} has no date`
          : `no ${name} ${windowText}`;
    return nothingFound(policy, why, missing(`a result since ${window.from}`), seen ? [seen.ref] : []);
  }
  const sameDay = inside.filter((r) => r.date!.latest === first.date!.latest && r.date!.earliest === first.date!.earliest);
  // On the same day a reported value wins over a computed one.
  const chosen = sameDay.some((r) => !r.derived) ? sameDay.filter((r) => !r.derived) : sameDay;
  const readings = chosen.map((r) => ({ r, reading: readOne(r, p) }));
  const usable = readings.filter((x): x is { r: NumericResult; reading: { tri: Tri; text: string } } => 'tri' in x.reading);
  if (usable.length === 0) {
    const why = readings.map((x) => ('problem' in x.reading ? x.reading.problem : '')).join('; ');
    return nothingFound(policy, why, missing('a usable value (a unit that converts)'), chosen.map((r) => r.ref));
  }
  const refs = usable.map((x) => x.r.ref);
  const text = usable.map((x) => x.reading.text).join('; ');
  const tris = new Set(usable.map((x) => x.reading.tri));
  if (tris.size === 1 && tris.has('yes')) return kitDecided('met', text, refs);
  if (tris.size === 1 && tris.has('no')) return kitDecided('not-met', text, refs);
  const why = tris.has('maybe') ? text : `results on the same day disagree: ${text}`;
  return kitOpen(why, missing('a result that decides the limit'), refs);
}
