// screenStudies: one record screened for several studies, in the order given, each result the
// evaluation screenPatient gives and the ResearchSubject rendered from it; one study at a time,
// so a caller's check between studies (the $screen deadline) runs before the next is screened.

import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { buildPatientRecord } from '../../src/ingest/build-patient-record.js';
import { renderResearchSubject } from '../../src/render/research-subject.js';
import { screenPatient } from '../../src/screening/screen-patient.js';
import { screenStudies } from '../../src/screening/screen-studies.js';
import { loadStudies } from '../../src/screening/study-registry.js';

const studies = [...(await loadStudies('fhir-mappings')).values()];
const BASE = 'https://prescreen.example.org';
const AS_OF = '2026-10-26';
const bundle = JSON.parse(readFileSync('test/fixtures/dm-candidate.json', 'utf8')) as Record<string, unknown>;

describe('screenStudies', () => {
  it('answers each study in the order given, as screenPatient and the renderer do', () => {
    const record = buildPatientRecord(structuredClone(bundle));
    const reversed = [...studies].reverse();
    const screened = [...screenStudies(reversed, record, AS_OF, BASE)];
    expect(screened.map((s) => s.evaluation.studyId)).toEqual(reversed.map((s) => s.mapping.id));
    expect(new Set(screened.map((s) => s.evaluation.studyId)).size).toBeGreaterThanOrEqual(2);
    for (const [i, study] of reversed.entries()) {
      const alone = screenPatient(study, buildPatientRecord(structuredClone(bundle)), AS_OF);
      expect(screened[i]!.evaluation).toEqual(alone);
      expect(screened[i]!.resource).toEqual(renderResearchSubject(alone, { canonicalBase: BASE }));
    }
  });

  it('screens the next study only when asked, so a check between studies can stop it', () => {
    const record = buildPatientRecord(structuredClone(bundle));
    // The second study as loaded, its criteria counting their evaluations.
    let evaluated = 0;
    const second = { ...studies[1]!, criteria: studies[1]!.criteria.map((c) => ({ ...c, evaluate: (m: Parameters<typeof c.evaluate>[0]) => (evaluated++, c.evaluate(m)) })) };
    const seen: string[] = [];
    expect(() => {
      for (const s of screenStudies([studies[0]!, second], record, AS_OF, BASE)) {
        seen.push(s.evaluation.studyId);
        throw new Error('deadline');
      }
    }).toThrow('deadline');
    expect(seen).toEqual([studies[0]!.mapping.id]);
    expect(evaluated).toBe(0);
    expect([...screenStudies([second], record, AS_OF, BASE)]).toHaveLength(1);
    expect(evaluated).toBe(second.criteria.length);
  });
});
