// The finder's arguments: the screening threads default by storage when --workers is absent.

import { describe, expect, it } from 'vitest';
import { defaultWorkers, parseFindArgs, UsageError } from '../../src/batch/cli-args.js';

const base = ['--study', 'belimumab-iim', '--input', 'export'];

describe('find arguments', () => {
  it('leaves the screening threads to the storage’s default unless --workers names them', () => {
    expect(parseFindArgs(base, '2026-10-26').workers).toBeUndefined();
    expect(parseFindArgs([...base, '--workers', '3'], '2026-10-26').workers).toBe(3);
    expect(() => parseFindArgs([...base, '--workers', '0'], '2026-10-26')).toThrow(UsageError);
  });

  it('screens on today (UTC) by default, and refuses an --as-of after tomorrow', () => {
    expect(parseFindArgs(base, '2026-10-26').asOf).toBe('2026-10-26');
    expect(parseFindArgs([...base, '--as-of', '2026-10-27'], '2026-10-26').asOf).toBe('2026-10-27');
    expect(parseFindArgs([...base, '--as-of', '2020-01-01'], '2026-10-26').asOf).toBe('2020-01-01');
    expect(() => parseFindArgs([...base, '--as-of', '2026-10-28'], '2026-10-26')).toThrow(
      new UsageError('--as-of must not be later than tomorrow (UTC), 2026-10-27: there are no data for a later date yet'),
    );
    expect(() => parseFindArgs([...base, '--as-of', '2027-01-01'], '2026-12-31')).not.toThrow();
  });

  it('defaults to one screening thread on PGlite, whose writes hold the main thread, and one per core on PostgreSQL', () => {
    expect(defaultWorkers('pglite', 8)).toBe(1);
    expect(defaultWorkers('pglite', 1)).toBe(1);
    expect(defaultWorkers('postgres', 8)).toBe(8);
    expect(defaultWorkers('postgres', 2)).toBe(2);
  });
});
