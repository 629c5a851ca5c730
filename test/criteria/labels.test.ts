// How code systems are named in reasons (common/labels.ts): every study's own code system reads
// as a local code, not only the first study's; any other unknown system is named as sent.

import { describe, expect, it } from 'vitest';
import { codingText, systemName } from '../../src/criteria/common/labels.js';

describe('systemName', () => {
  it('names a standard system by its short name', () => {
    expect(systemName('http://loinc.org')).toBe('LOINC');
  });

  it("names any study's own code system a local code", () => {
    expect(systemName('https://fhir-prescreen.org/CodeSystem/belimumab-iim')).toBe('local code');
    expect(codingText({ system: 'https://fhir-prescreen.org/CodeSystem/glp1-ckd', code: 'uacr-derived' })).toBe('local code uacr-derived');
  });

  it('names another system as sent', () => {
    expect(systemName('https://example.org/CodeSystem/x')).toBe('https://example.org/CodeSystem/x');
  });
});
