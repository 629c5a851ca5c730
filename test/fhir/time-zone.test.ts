import { expect, it } from 'vitest';

// Guards the tz projects of vitest.config.ts: a run that silently stayed in one zone would make
// the time-zone coverage of the domain tests a fiction.
it('runs in the time zone its vitest project asked for', () => {
  const wanted = process.env.TZ ?? 'UTC';
  expect(Intl.DateTimeFormat().resolvedOptions().timeZone).toBe(wanted);
  const offset = new Date('2026-06-01T00:00:00Z').getTimezoneOffset();
  const expected: Record<string, number> = { UTC: 0, 'America/New_York': 240, 'Pacific/Kiritimati': -840 };
  expect(offset).toBe(expected[wanted]);
});
