// Look-back windows and their clearing day: the day after which an event at `lastDay` is
// outside [D' − N, D'], checked directly against the window definition on both sides.

import { describe, expect, it } from 'vitest';
import { addDays, addMonths } from '../../src/fhir/dates.js';
import { daysWindow, monthsWindow, yearsWindow } from '../../src/criteria/common/windows.js';

describe('daysWindow', () => {
  it('is [D − N, D] and clears N + 1 days after the last day', () => {
    const w = daysWindow('2026-10-26', 365);
    expect(w.from).toBe('2025-10-26');
    expect(w.to).toBe('2026-10-26');
    expect(w.clearsAfter('2025-10-26')).toBe('2026-10-27');
  });
});

describe('monthsWindow clearsAfter', () => {
  const cases: Array<[string, number]> = [
    ['2026-01-31', 1],
    ['2026-01-28', 1],
    ['2025-12-31', 2],
    ['2024-02-29', 12],
    ['2021-02-28', 60],
    ['2020-02-29', 60],
    ['2026-08-31', 6],
  ];
  it.each(cases)('last day %s, %i months: the window holds the day before and not on the day', (lastDay, months) => {
    const clears = monthsWindow('2000-01-01', months).clearsAfter(lastDay);
    expect(addMonths(clears, -months) > lastDay).toBe(true);
    expect(addMonths(addDays(clears, -1), -months) <= lastDay).toBe(true);
  });
  it('clamps calendar months: 31 May − 3 months is the end of February', () => {
    expect(monthsWindow('2026-05-31', 3).from).toBe('2026-02-28');
    expect(yearsWindow('2028-02-29', 5).from).toBe('2023-02-28');
  });
});
