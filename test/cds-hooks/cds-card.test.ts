import { describe, expect, it } from 'vitest';
import { escapeMarkdown, fitSummary, renderCdsCard } from '../../src/render/cds-card.js';
import type { Evaluation } from '../../src/screening/evaluation.js';

const base: Omit<Evaluation, 'status' | 'criteria'> = {
  studyId: 'belimumab-iim',
  patientRef: 'Patient/p1',
  patientId: 'p1',
  asOf: '2026-11-24',
  criteriaVersion: 'abc',
};
const context = {
  uuid: '00000000-0000-4000-8000-000000000000',
  studyTitle: 'A very long study title '.repeat(8),
  criteria: new Map([['exc-immunoglobulin-deficiency', { seed: 'E12', title: 'Low IgG or IgA' }]]),
  subjectUrl: 'https://prescreen.example.org/app#/subject/x',
  canonicalBase: 'https://fhir-prescreen.org',
  ineligibleCards: false,
};

describe('renderCdsCard', () => {
  it('lists the missing data of a potential candidate, summary under 140 characters', () => {
    const rendered = renderCdsCard(
      {
        ...base,
        status: 'potential-candidate',
        criteria: [
          {
            id: 'exc-immunoglobulin-deficiency',
            type: 'exclusion',
            result: 'unknown',
            manual: false,
            reason: 'no IgG or IgA result on record',
            evidence: [],
            missingData: [{ text: 'serum IgG (LOINC 2465-3)' }, { text: 'serum IgA (LOINC 2458-8)' }],
          },
        ],
      },
      context,
    )!;
    expect(rendered.card.summary.length).toBeLessThan(140);
    expect(rendered.card.detail).toContain('**E12 Low IgG or IgA**: serum IgG (LOINC 2465-3); serum IgA (LOINC 2458-8)');
    expect(rendered.criteria).toEqual(['exc-immunoglobulin-deficiency']);
    expect(rendered.card.indicator).toBe('info');
  });

  it('gives no card for an ineligible patient unless asked', () => {
    const evaluation: Evaluation = {
      ...base,
      status: 'ineligible',
      criteria: [{ id: 'exc-immunoglobulin-deficiency', type: 'exclusion', result: 'met', manual: false, reason: 'IgG 300 mg/dL', evidence: [], missingData: [] }],
    };
    expect(renderCdsCard(evaluation, context)).toBeUndefined();
    expect(renderCdsCard(evaluation, { ...context, ineligibleCards: true })!.card.detail).toContain('IgG 300 mg/dL');
  });

  it('escapes Markdown and cuts summaries at a word', () => {
    expect(escapeMarkdown('a *b* [c](d)')).toBe('a \\*b\\* \\[c\\](d)');
    const cut = fitSummary('word '.repeat(60));
    expect(cut.length).toBeLessThanOrEqual(139);
    expect(cut.endsWith('…')).toBe(true);
  });
});
