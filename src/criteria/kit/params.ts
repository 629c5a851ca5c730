// TypeBox pieces the blocks' parameters share: look-back windows, limits and what a block
// gives when nothing in the record answers it. A study's YAML is checked against these when
// the study is loaded (rule.ts), so a typo fails at start-up, never mid-screen.

import Type, { type Static } from 'typebox';
import type { IsoDay } from '../../fhir/dates.js';
import { daysWindow, monthsWindow, yearsWindow, type LookbackWindow } from '../common/windows.js';

const Count = Type.Integer({ minimum: 0 });

/** `[D − N, D]` in calendar days, months or years (exactly one). */
export const Window = Type.Union([
  Type.Object({ days: Count }, { additionalProperties: false }),
  Type.Object({ months: Count }, { additionalProperties: false }),
  Type.Object({ years: Count }, { additionalProperties: false }),
]);
export type Window = Static<typeof Window>;

export function lookback(asOf: IsoDay, w: Window): LookbackWindow {
  if ('days' in w) return daysWindow(asOf, w.days);
  if ('months' in w) return monthsWindow(asOf, w.months);
  return yearsWindow(asOf, w.years);
}

/** A value's limits; every one given must hold (a band is two of them). */
export const Limits = {
  atLeast: Type.Optional(Type.Number()),
  above: Type.Optional(Type.Number()),
  atMost: Type.Optional(Type.Number()),
  below: Type.Optional(Type.Number()),
};
export interface LimitValues {
  atLeast?: number | undefined;
  above?: number | undefined;
  atMost?: number | undefined;
  below?: number | undefined;
}

export function hasLimit(l: LimitValues): boolean {
  return l.atLeast !== undefined || l.above !== undefined || l.atMost !== undefined || l.below !== undefined;
}

export function limitsText(l: LimitValues, unit?: string): string {
  const u = unit && unit !== '1' && unit !== '{score}' ? ` ${unit}` : '';
  const parts: string[] = [];
  if (l.atLeast !== undefined) parts.push(`≥ ${l.atLeast}${u}`);
  if (l.above !== undefined) parts.push(`> ${l.above}${u}`);
  if (l.atMost !== undefined) parts.push(`≤ ${l.atMost}${u}`);
  if (l.below !== undefined) parts.push(`< ${l.below}${u}`);
  return parts.join(' and ');
}

/**
 * What the block gives when the record holds nothing that answers it: `open` (unknown, more
 * data would decide), `manual` (unknown, a person decides), or a decided result (a closed rule).
 */
export const WhenMissing = Type.Union([Type.Literal('open'), Type.Literal('manual'), Type.Literal('met'), Type.Literal('not-met')]);
export type WhenMissing = Static<typeof WhenMissing>;

/** Value-set (concept), lab, agent or class ids, at least one. */
export const Ids = Type.Array(Type.String({ minLength: 1 }), { minItems: 1 });
