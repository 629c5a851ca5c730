import { describe, expect, it } from 'vitest';
import type { CriterionEvaluation } from '../../src/criteria/types.js';
import { renderResearchSubject, researchSubjectId } from '../../src/render/research-subject.js';
import type { Evaluation } from '../../src/screening/evaluation.js';
import { r4Errors } from './r4-validator.js';

const criteria: CriterionEvaluation[] = [
  {
    id: 'inc-age',
    type: 'inclusion',
    result: 'met',
    manual: false,
    reason: '54 years old on 2026-11-24',
    evidence: ['Patient/example-1'],
    missingData: [],
  },
  {
    id: 'exc-immunoglobulin-deficiency',
    type: 'exclusion',
    result: 'unknown',
    manual: false,
    reason: 'no IgG or IgA result on record',
    evidence: [],
    missingData: [
      { text: 'serum IgG (LOINC 2465-3)', query: 'Observation?patient=example-1&code=http://loinc.org|2465-3' },
      { text: 'serum IgA (LOINC 2458-8)' },
    ],
  },
  {
    id: 'exc-rituximab',
    type: 'exclusion',
    result: 'met',
    manual: false,
    reason: 'rituximab on 2026-06-01',
    evidence: ['MedicationAdministration/rtx-1', 'urn:uuid:4a1c0f52-7f3c-4a57-a1b1-d3f0a4f1a001'],
    missingData: [],
    clearsOn: '2027-06-02',
  },
  {
    id: 'inc-consent',
    type: 'inclusion',
    result: 'unknown',
    manual: true,
    reason: 'consent is given at the screening visit',
    evidence: [],
    missingData: [],
  },
];

const evaluation: Evaluation = {
  studyId: 'belimumab-iim',
  patientRef: 'Patient/example-1',
  patientId: 'example-1',
  asOf: '2026-11-24',
  criteriaVersion: '0123456789abcdef',
  status: 'ineligible',
  eligibleFrom: '2027-06-02',
  criteria,
};

type Ext = { url: string; extension?: Ext[]; [key: string]: unknown };

function walk(extensions: Ext[], visit: (e: Ext) => void): void {
  for (const e of extensions) {
    visit(e);
    if (e.extension) walk(e.extension, visit);
  }
}

describe('renderResearchSubject', () => {
  const subject = renderResearchSubject(evaluation, { canonicalBase: 'https://fhir-prescreen.org' });

  it('renders the api.md shape', () => {
    expect(subject.resourceType).toBe('ResearchSubject');
    expect(subject.status).toBe('ineligible');
    expect(subject.study).toEqual({ reference: 'ResearchStudy/belimumab-iim' });
    expect(subject.individual).toEqual({ reference: 'Patient/example-1' });
    expect(subject.extension).toHaveLength(1);
    const outer = subject.extension[0] as Ext;
    expect(outer.url).toBe('https://fhir-prescreen.org/StructureDefinition/eligibility-evaluation');
    const parts = outer.extension!;
    expect(parts.slice(0, 3)).toEqual([
      { url: 'asOf', valueDate: '2026-11-24' },
      { url: 'criteriaVersion', valueString: '0123456789abcdef' },
      { url: 'eligibleFrom', valueDate: '2027-06-02' },
    ]);
    const criterionIds = parts
      .filter((p) => p.url === 'criterion')
      .map((p) => (p.extension!.find((c) => c.url === 'id') as unknown as { valueCode: string }).valueCode);
    expect(criterionIds).toEqual(criteria.map((c) => c.id));
  });

  it('renders each criterion with its parts, a query right after its missing data', () => {
    const parts = (subject.extension[0] as Ext).extension!.filter((p) => p.url === 'criterion');
    expect(parts[1]!.extension).toEqual([
      { url: 'id', valueCode: 'exc-immunoglobulin-deficiency' },
      { url: 'type', valueCode: 'exclusion' },
      { url: 'result', valueCode: 'unknown' },
      { url: 'manual', valueBoolean: false },
      { url: 'reason', valueString: 'no IgG or IgA result on record' },
      { url: 'missingData', valueString: 'serum IgG (LOINC 2465-3)' },
      { url: 'missingDataQuery', valueString: 'Observation?patient=example-1&code=http://loinc.org|2465-3' },
      { url: 'missingData', valueString: 'serum IgA (LOINC 2458-8)' },
    ]);
    expect(parts[2]!.extension).toContainEqual({ url: 'clearsOn', valueDate: '2027-06-02' });
    expect(parts[2]!.extension!.filter((p) => p.url === 'evidence')).toEqual([
      { url: 'evidence', valueReference: { reference: 'MedicationAdministration/rtx-1' } },
      { url: 'evidence', valueReference: { reference: 'urn:uuid:4a1c0f52-7f3c-4a57-a1b1-d3f0a4f1a001' } },
    ]);
  });

  it('keeps [ext-1]: every extension has a value or children, never both', () => {
    walk(subject.extension as Ext[], (e) => {
      const values = Object.keys(e).filter((k) => k.startsWith('value'));
      const hasChildren = Array.isArray(e.extension) && e.extension.length > 0;
      expect(values.length + (hasChildren ? 1 : 0), e.url).toBe(1);
    });
  });

  it('passes R4 validation', () => {
    expect(r4Errors(subject)).toEqual([]);
  });

  it('never emits eligible or screening, or an eligible flag', () => {
    for (const status of ['candidate', 'potential-candidate', 'ineligible'] as const) {
      const s = renderResearchSubject({ ...evaluation, status }, { canonicalBase: 'https://x.org' });
      expect(s.status).toBe(status);
      expect(JSON.stringify(s)).not.toMatch(/"eligible"|"screening"/);
    }
  });

  it('uses the configured canonical base', () => {
    const s = renderResearchSubject(evaluation, { canonicalBase: 'https://example.org/fhir' });
    expect((s.extension[0] as Ext).url).toBe('https://example.org/fhir/StructureDefinition/eligibility-evaluation');
  });

  it('has an id that is a legal FHIR id, stable per study and patient, and independent of asOf', () => {
    expect(subject.id).toMatch(/^[A-Za-z0-9\-.]{1,64}$/);
    expect(researchSubjectId('belimumab-iim', 'Patient/example-1')).toBe(subject.id);
    const later = renderResearchSubject({ ...evaluation, asOf: '2027-01-01' }, { canonicalBase: 'https://x.org' });
    expect(later.id).toBe(subject.id);
    expect(researchSubjectId('belimumab-iim', 'Patient/example-2')).not.toBe(subject.id);
    expect(researchSubjectId('other-study', 'Patient/example-1')).not.toBe(subject.id);
    expect(researchSubjectId('belimumab-iim', 'https://ehr.example.org/fhir/Patient/a b')).toMatch(/^[A-Za-z0-9\-.]{1,64}$/);
  });
});

describe('text from the input', () => {
  it('shows control characters (NUL included, which PostgreSQL jsonb refuses) as U+FFFD', () => {
    const subject = renderResearchSubject(
      {
        studyId: 'belimumab-iim',
        patientRef: 'Patient/p\u0000',
        patientId: 'p\u0000',
        asOf: '2026-10-26',
        criteriaVersion: 'v',
        status: 'ineligible',
        criteria: [
          { id: 'exc-hiv', type: 'exclusion', result: 'met', manual: false, reason: 'HIV test \u0000positive\u0007', evidence: ['Observation/x\u0000'], missingData: [] },
        ],
      },
      { canonicalBase: 'https://fhir-prescreen.org' },
    );
    const text = JSON.stringify(subject);
    expect(text).not.toMatch(/\\u000[0-8]/);
    expect(text).toContain('Observation/x\uFFFD');
    expect(subject.individual.reference).toBe('Patient/p\uFFFD');
  });
});
