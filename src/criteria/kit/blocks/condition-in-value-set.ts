// Block `condition`: a Condition whose code is in one of some value sets, read one of three ways:
//   when: any-time  met if one is recorded (any clinical status);
//   when: active    met if one is active at D (no abatement on or before D; clinicalStatus absent
//                   or active/recurrence/relapse);
//   when: within    met if one is dated within the window (`dates: onset-else-recorded`, the
//                   default, or `dates: any` for onset, recorded date or abatement), or also
//                   when active with `orActive: true`; clearsOn when only dates decide. A record
//                   whose date straddles the window's start, or with no date, is unknown (open).
// Records that do not count, and that the reason names: verificationStatus refuted or
// entered-in-error, and a record dated (onset, else recorded date) after D, not yet known at D.
// With nothing counting the rule is closed: not-met.

import Type, { type Static } from 'typebox';
import type { Diagnosis, EligibilityModel } from '../../../mapping/model.js';
import { conditionCounts, isActiveCondition } from '../../common/active-condition.js';
import { windowClearsOn } from '../../common/condition-window-criterion.js';
import { ALL_DATE_FIELDS, readConditionWindow, type DateField } from '../../common/condition-window.js';
import { conditionLabel, listText } from '../../common/labels.js';
import { missingRecordDetail } from '../../common/missing-data.js';
import { kitDecided, kitOpen, type KitOutcome } from '../outcome.js';
import { Ids, lookback, Window } from '../params.js';

export const ConditionParams = Type.Object(
  {
    valueSets: Ids,
    /** For reasons: `type 2 diabetes`. */
    name: Type.Optional(Type.String({ minLength: 1 })),
    when: Type.Union([Type.Literal('any-time'), Type.Literal('active'), Type.Literal('within')]),
    within: Type.Optional(Window),
    dates: Type.Optional(Type.Union([Type.Literal('onset-else-recorded'), Type.Literal('any')])),
    orActive: Type.Optional(Type.Boolean()),
  },
  { additionalProperties: false },
);
export type ConditionParams = Static<typeof ConditionParams>;

export function checkCondition(p: ConditionParams): string | undefined {
  if (p.when === 'within' && !p.within) return "when: within needs 'within' (days, months or years)";
  if (p.when !== 'within' && (p.within || p.dates || p.orActive !== undefined)) return `within, dates and orActive apply only to when: within (not ${p.when})`;
  return undefined;
}

/** The conditions of these value sets, split into those that count and those that do not (with why). */
export function conditionsIn(model: EligibilityModel, valueSets: readonly string[]): { counted: Diagnosis[]; notCounted: string[] } {
  const counted: Diagnosis[] = [];
  const notCounted: string[] = [];
  for (const dx of model.diagnoses) {
    if (!dx.concepts.some((c) => valueSets.includes(c))) continue;
    const dated = dx.onset ?? dx.recorded;
    if (!conditionCounts(dx)) notCounted.push(`${conditionLabel(dx)} (verification ${dx.verificationStatus})`);
    else if (dated && dated.earliest > model.asOf) notCounted.push(`${conditionLabel(dx)} (dated after ${model.asOf})`);
    else counted.push(dx);
  }
  return { counted, notCounted };
}

export function condition(model: EligibilityModel, p: ConditionParams): KitOutcome {
  const name = p.name ?? listText(p.valueSets);
  const { counted, notCounted } = conditionsIn(model, p.valueSets);
  const ignored = notCounted.length > 0 ? `; not counted: ${listText(notCounted)}` : '';
  const labels = (ds: Diagnosis[]) => listText(ds.map(conditionLabel));
  if (p.when === 'any-time') {
    if (counted.length > 0) return kitDecided('met', `${name} recorded: ${labels(counted)}`, counted.map((d) => d.ref));
    return kitDecided('not-met', `no ${name} on record${ignored}`);
  }
  if (p.when === 'active') {
    const active = counted.filter((d) => isActiveCondition(d, model.asOf));
    if (active.length > 0) return kitDecided('met', `${name} active at ${model.asOf}: ${labels(active)}`, active.map((d) => d.ref));
    const inactive = counted.length > 0 ? `; recorded but not active: ${labels(counted)}` : '';
    return kitDecided('not-met', `no active ${name} at ${model.asOf}${inactive}${ignored}`, counted.map((d) => d.ref));
  }
  const window = lookback(model.asOf, p.within!);
  const fieldsOf = (dx: Diagnosis): DateField[] => (p.dates === 'any' ? ALL_DATE_FIELDS : dx.onset ? ['onset'] : ['recorded']);
  const readings = counted.map((dx) => readConditionWindow(dx, window, { fields: fieldsOf(dx), canBeActive: p.orActive ?? false }));
  const hits = readings.filter((r) => r.state === 'active' || r.state === 'in-window');
  const windowText = `within ${window.label} before ${model.asOf}`;
  const detail = (rs: typeof readings) => listText(rs.map((r) => `${conditionLabel(r.dx)}: ${r.detail}`));
  if (hits.length > 0) {
    const clearsOn = windowClearsOn(hits);
    const tail = clearsOn ? `; the window clears on ${clearsOn}` : '';
    return kitDecided('met', `${name} ${windowText}: ${detail(hits)}${tail}`, hits.map((r) => r.dx.ref), clearsOn);
  }
  const open = readings.filter((r) => r.state === 'straddles' || r.state === 'undated');
  if (open.length > 0) {
    return kitOpen(`${name}: ${detail(open)}`, open.map((r) => missingRecordDetail(r.dx.ref, `the dates of ${name} record ${r.dx.ref}`)), open.map((r) => r.dx.ref));
  }
  const outside = readings.length > 0 ? `; outside the window: ${detail(readings)}` : '';
  return kitDecided('not-met', `no ${name} ${windowText}${outside}${ignored}`, readings.map((r) => r.dx.ref));
}
