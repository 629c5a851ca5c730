// Shared reading for "met if <condition> is active, or its onset, recorded date or abatement lies
// within N before D" over a set of concepts (E18, and each half of E19).

import type { EligibilityModel } from '../../mapping/model.js';
import { conditionsWith } from './active-condition.js';
import { readConditionWindow, type ConditionWindowReading } from './condition-window.js';
import type { LookbackWindow } from './windows.js';

export interface ConditionWindowSummary {
  hits: ConditionWindowReading[];
  open: ConditionWindowReading[];
  outside: ConditionWindowReading[];
}

export function summariseConditionWindow(model: EligibilityModel, concepts: string[], window: LookbackWindow): ConditionWindowSummary {
  const readings = conditionsWith(model, concepts).map((dx) => readConditionWindow(dx, window));
  return {
    hits: readings.filter((r) => r.state === 'active' || r.state === 'in-window'),
    open: readings.filter((r) => r.state === 'straddles' || r.state === 'undated'),
    outside: readings.filter((r) => r.state === 'outside'),
  };
}

/** clearsOn when every hit is met only by its dates (none is active). */
export function windowClearsOn(hits: ConditionWindowReading[]): string | undefined {
  if (hits.length === 0 || hits.some((r) => !r.clearsOn)) return undefined;
  return hits.map((r) => r.clearsOn!).reduce((a, b) => (b > a ? b : a));
}
