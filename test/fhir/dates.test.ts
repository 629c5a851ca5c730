import { describe, expect, it } from 'vitest';
import {
  addDays,
  addMonths,
  daysBetween,
  parseFhirDate,
  parseIsoDay,
  rangeInWindow,
  rangeOnOrBefore,
  spanOverlapsWindow,
  wholeYears,
} from '../../src/fhir/dates.js';

describe('parseFhirDate', () => {
  it('reads a full date as one day', () => {
    expect(parseFhirDate('2026-10-26')).toEqual({ earliest: '2026-10-26', latest: '2026-10-26' });
  });

  it('keeps the day as written in its own offset, whatever the process time zone', () => {
    expect(parseFhirDate('2026-01-01T23:30:00-05:00')).toEqual({ earliest: '2026-01-01', latest: '2026-01-01' });
    expect(parseFhirDate('2026-01-01T00:30:00+14:00')).toEqual({ earliest: '2026-01-01', latest: '2026-01-01' });
    expect(parseFhirDate('2026-03-08T10:00:00.123Z')?.earliest).toBe('2026-03-08');
  });

  it('reads partial dates as intervals, never padded to the 1st', () => {
    expect(parseFhirDate('2019-03')).toEqual({ earliest: '2019-03-01', latest: '2019-03-31' });
    expect(parseFhirDate('2024-02')).toEqual({ earliest: '2024-02-01', latest: '2024-02-29' });
    expect(parseFhirDate('2023-02')).toEqual({ earliest: '2023-02-01', latest: '2023-02-28' });
    expect(parseFhirDate('2019')).toEqual({ earliest: '2019-01-01', latest: '2019-12-31' });
  });

  it('rejects impossible and malformed values instead of guessing', () => {
    for (const bad of ['2026-02-30', '2025-02-29', '2026-13-01', '2026-00-10', 'yesterday', '', '26-10-2026', '2026-1-5', '2026-10-26T25:00:00Z']) {
      expect(parseFhirDate(bad), bad).toBeUndefined();
    }
    for (const wrongType of [20261026, null, undefined, {}, ['2026-10-26'], true]) {
      expect(parseFhirDate(wrongType)).toBeUndefined();
    }
  });

  it('parseIsoDay accepts only full YYYY-MM-DD dates', () => {
    expect(parseIsoDay('2026-11-24')).toBe('2026-11-24');
    expect(parseIsoDay('2026-11')).toBeUndefined();
    expect(parseIsoDay('2026-11-24T00:00:00Z')).toBeUndefined();
    expect(parseIsoDay('2026-02-30')).toBeUndefined();
  });
});

describe('calendar arithmetic', () => {
  it('adds days across months, years and leap days', () => {
    expect(addDays('2026-10-26', -365)).toBe('2025-10-26');
    expect(addDays('2024-03-01', -1)).toBe('2024-02-29');
    expect(addDays('2026-12-31', 1)).toBe('2027-01-01');
    expect(daysBetween('2025-10-26', '2026-10-26')).toBe(365);
  });

  it('clamps the day when adding calendar months', () => {
    expect(addMonths('2026-05-31', -3)).toBe('2026-02-28');
    expect(addMonths('2024-05-31', -3)).toBe('2024-02-29');
    expect(addMonths('2026-01-15', -2)).toBe('2025-11-15');
    expect(addMonths('2026-11-30', 3)).toBe('2027-02-28');
  });

  it('counts whole anniversaries reached (inc-age reads "has reached 18")', () => {
    expect(wholeYears('2008-10-26', '2026-10-26')).toBe(18);
    expect(wholeYears('2008-10-27', '2026-10-26')).toBe(17);
    expect(wholeYears('2008-02-29', '2026-02-28')).toBe(18);
    expect(wholeYears('1968-04-14', '2026-10-26')).toBe(58);
  });
});

describe('windows', () => {
  const from = '2025-10-26';
  const to = '2026-10-26';

  it('a date wholly in or out of the window decides; straddling is maybe', () => {
    expect(rangeInWindow({ earliest: '2026-01-01', latest: '2026-01-01' }, from, to)).toBe('yes');
    expect(rangeInWindow({ earliest: '2025-10-25', latest: '2025-10-25' }, from, to)).toBe('no');
    expect(rangeInWindow({ earliest: '2025-10-01', latest: '2025-10-31' }, from, to)).toBe('maybe');
    expect(rangeInWindow({ earliest: '2025-10-26', latest: '2025-10-26' }, from, to)).toBe('yes');
  });

  it('on or before a day', () => {
    expect(rangeOnOrBefore({ earliest: '2026-10-01', latest: '2026-10-31' }, '2026-10-26')).toBe('maybe');
    expect(rangeOnOrBefore({ earliest: '2026-10-26', latest: '2026-10-26' }, '2026-10-26')).toBe('yes');
    expect(rangeOnOrBefore({ earliest: '2026-10-27', latest: '2026-10-27' }, '2026-10-26')).toBe('no');
  });

  it('a span overlaps the window when it starts before the end and ends after the start', () => {
    const d = (x: string) => ({ earliest: x, latest: x });
    expect(spanOverlapsWindow(d('2025-01-01'), d('2025-10-26'), from, to)).toBe('yes');
    expect(spanOverlapsWindow(d('2025-01-01'), d('2025-10-25'), from, to)).toBe('no');
    expect(spanOverlapsWindow(d('2026-10-27'), d('2026-11-30'), from, to)).toBe('no');
    expect(spanOverlapsWindow(d('2025-01-01'), { earliest: '2025-10-01', latest: '2025-10-31' }, from, to)).toBe('maybe');
  });
});
