// "met if <condition> is active, or its onset, recorded date or abatement lies within N before
// D" (E2, E18, E19). One reading per record, so those criteria word and date things the same way.

import { minDay, rangeInWindow, type DayRange, type IsoDay, type Tri } from '../../fhir/dates.js';
import type { Diagnosis } from '../../mapping/model.js';
import { isActiveCondition } from './active-condition.js';
import { dateText } from './labels.js';
import { latestDay, type LookbackWindow } from './windows.js';

export type ConditionWindowState = 'active' | 'in-window' | 'straddles' | 'outside' | 'undated';

export interface ConditionWindowReading {
  dx: Diagnosis;
  state: ConditionWindowState;
  /** `onset 2022-03-01, abatement 2023` — the dates that decided, for the reason. */
  detail: string;
  /** For `in-window`: the first day the window no longer holds. */
  clearsOn?: IsoDay;
}

export type DateField = 'onset' | 'recorded' | 'abatement';

export const ALL_DATE_FIELDS: DateField[] = ['onset', 'recorded', 'abatement'];

export function readConditionWindow(
  dx: Diagnosis,
  window: LookbackWindow,
  options: { fields?: DateField[]; canBeActive?: boolean } = {},
): ConditionWindowReading {
  const fields = options.fields ?? ALL_DATE_FIELDS;
  if ((options.canBeActive ?? true) && isActiveCondition(dx, window.to)) {
    return { dx, state: 'active', detail: `active at ${window.to}${dx.clinicalStatus ? ` (clinical status ${dx.clinicalStatus})` : ''}` };
  }
  const dated = fields
    .map((field) => ({ field, range: dx[field] }))
    .filter((d): d is { field: DateField; range: DayRange } => d.range !== undefined);
  if (dated.length === 0) return { dx, state: 'undated', detail: `no ${fields.join(', ')} date` };

  const tris = dated.map((d) => ({ ...d, tri: rangeInWindow(d.range, window.from, window.to) as Tri }));
  const describe = (ds: typeof tris): string => ds.map((d) => `${d.field} ${dateText(d.range)}`).join(', ');
  const inside = tris.filter((d) => d.tri === 'yes');
  if (inside.length > 0) {
    // A straddling date may be later than the inside ones: clear only once it is surely out too.
    const lastDay = latestDay(tris.filter((d) => d.tri !== 'no').map((d) => minDay(d.range.latest, window.to)));
    return { dx, state: 'in-window', detail: describe(inside), clearsOn: window.clearsAfter(lastDay) };
  }
  const maybe = tris.filter((d) => d.tri === 'maybe');
  if (maybe.length > 0) {
    return { dx, state: 'straddles', detail: `${describe(maybe)} may or may not lie within ${window.label} before ${window.to} (${window.from} or later)` };
  }
  return { dx, state: 'outside', detail: describe(tris) };
}
