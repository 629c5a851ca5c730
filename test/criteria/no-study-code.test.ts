// A study declared as data has no TypeScript of its own (issue 15): nothing under src/ may name
// the second study, glp1-ckd, or its drug class by name. Its criteria are kit rules in
// fhir-mappings/glp1-ckd/study.yaml; a rule the kit cannot say must become a general block.

import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

function filesUnder(dir: string): string[] {
  return readdirSync(dir, { recursive: true, encoding: 'utf8' }).map((f) => join(dir, f)).filter((f) => /\.(ts|js|json|ya?ml)$/.test(f));
}

describe('no study-specific code for glp1-ckd', () => {
  it('no file under src/ names glp1-ckd or glp1', () => {
    const files = filesUnder('src');
    expect(files.length).toBeGreaterThan(50);
    const naming = files.filter((f) => /glp1/i.test(f) || /glp1/i.test(readFileSync(f, 'utf8')));
    expect(naming).toEqual([]);
  });

  it('the study folder exists, so the check above is about a real study', () => {
    expect(readdirSync('fhir-mappings')).toContain('glp1-ckd');
  });
});
