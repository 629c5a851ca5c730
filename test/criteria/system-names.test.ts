// How reasons name a code system: the well-known ones by name, and any study's own local code
// system (systems.yaml `local`: https://fhir-prescreen.org/CodeSystem/<study>) as "local code",
// whichever study it belongs to; anything else as sent.

import { describe, expect, it } from 'vitest';
import { codingText, systemName } from '../../src/criteria/common/labels.js';

describe('systemName', () => {
  it('names the well-known systems', () => {
    expect(systemName('http://loinc.org')).toBe('LOINC');
    expect(codingText({ system: 'http://snomed.info/sct', code: '46635009' })).toBe('SNOMED 46635009');
  });

  it("calls every study's local code system a local code, not only the first study's", () => {
    expect(systemName('https://fhir-prescreen.org/CodeSystem/belimumab-iim')).toBe('local code');
    expect(systemName('https://fhir-prescreen.org/CodeSystem/kit-demo')).toBe('local code');
  });

  it('gives any other system as sent', () => {
    expect(systemName('https://example.org/CodeSystem/kit-demo')).toBe('https://example.org/CodeSystem/kit-demo');
    expect(systemName('constructor')).toBe('constructor');
  });
});
