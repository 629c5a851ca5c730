// The registry lists every criterion once, in criteria.md order (api.md: the ResearchSubject
// shows them in that order), and matches study.yaml, which the study registry checks at start-up.

import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { CRITERIA, CRITERIA_CODE_VERSION } from '../../src/criteria/belimumab-iim/index.js';
import { NOT_EVALUATED_REASON } from '../../src/criteria/common/not-evaluated.js';

// A verbatim copy of the specification (test/fixtures/shared/README.md).
const CRITERIA_MD = 'test/fixtures/shared/criteria.md';
const STUDY_YAML = 'fhir-mappings/belimumab-iim/study.yaml';

import { model as emptyModel } from './helpers/model-builder.js';

describe('belimumab-iim criteria registry', () => {
  it('has 30 distinct criteria with a code version', () => {
    expect(CRITERIA).toHaveLength(30);
    expect(new Set(CRITERIA.map((c) => c.id)).size).toBe(30);
    expect(CRITERIA_CODE_VERSION.length).toBeGreaterThan(0);
  });

  it('follows criteria.md order and types', () => {
    const rows = [...readFileSync(CRITERIA_MD, 'utf8').matchAll(/^\| `([a-z0-9-]+)` \|/gm)].map((m) => m[1]);
    expect(CRITERIA.map((c) => c.id)).toEqual(rows);
    for (const c of CRITERIA) expect(c.type).toBe(c.id.startsWith('inc-') ? 'inclusion' : 'exclusion');
  });

  it('matches study.yaml', () => {
    const study = parse(readFileSync(STUDY_YAML, 'utf8')) as { criteria: Array<{ id: string; type: string }> };
    expect(CRITERIA.map((c) => [c.id, c.type])).toEqual(study.criteria.map((c) => [c.id, c.type]));
  });

  it('evaluates every criterion: none answers "not evaluated" (issue 3)', () => {
    const deferred = CRITERIA.filter((c) => c.evaluate(emptyModel()).reason === NOT_EVALUATED_REASON).map((c) => c.id);
    expect(deferred).toEqual([]);
  });
});
