// ucum-lhc writes a unit string it cannot parse to stdout (console.log). A unit comes from the
// input and may be free text, so none of it may reach the process's output: units.ts mutes the
// library's logging for its calls, and console.log works again afterwards.

import { afterEach, describe, expect, it, vi } from 'vitest';
import { conversionFactor, isUcumUnit } from '../../src/mapping/units.js';

afterEach(() => vi.restoreAllMocks());

describe('UCUM calls write nothing to stdout', () => {
  it('an unparseable unit (free text with spaces) is unreadable and not logged', () => {
    const log = vi.spyOn(console, 'log');
    const write = vi.spyOn(process.stdout, 'write');
    const unit = 'Jane Doe said units per litre';
    expect(isUcumUnit(unit)).toBe(false);
    expect(conversionFactor(`${unit} again`, 'mg/dL')).toBeUndefined();
    expect(log).not.toHaveBeenCalled();
    expect(write.mock.calls.some((args) => String(args[0]).includes('Jane Doe'))).toBe(false);
  });

  it('leaves console.log working after the call', () => {
    expect(isUcumUnit('still not a unit at all')).toBe(false);
    const log = vi.spyOn(console, 'log').mockImplementation(() => undefined);
    console.log('after');
    expect(log).toHaveBeenCalledWith('after');
  });

  it('still reads valid units', () => {
    expect(isUcumUnit('mg/dL')).toBe(true);
    expect(conversionFactor('g/L', 'mg/dL')).toBeCloseTo(100);
  });
});
