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

  it('names the trial by its acronym only when the title would not fit the summary', () => {
    const evaluation: Evaluation = {
      ...base,
      status: 'candidate',
      criteria: [{ id: 'inc-consent', type: 'inclusion', result: 'unknown', manual: true, reason: 'consent is a person\'s call', evidence: [], missingData: [] }],
    };
    const long = renderCdsCard(evaluation, { ...context, studyAcronym: 'LONG-1' })!.card;
    expect(long.summary).toBe('Possible candidate for the trial "LONG-1": 1 item to confirm.');
    // The detail still names the trial in full.
    expect(long.detail).toContain('A very long study title');
    const short = renderCdsCard(evaluation, { ...context, studyTitle: 'Short trial', studyAcronym: 'ST' })!.card;
    expect(short.summary).toBe('Possible candidate for the trial "Short trial": 1 item to confirm.');
    // No acronym: the title, cut at a word.
    const cut = renderCdsCard(evaluation, context)!.card;
    expect(cut.summary.length).toBeLessThanOrEqual(139);
    expect(cut.summary.endsWith('…')).toBe(true);
  });

  it('adds a SMART app link naming the study and the ResearchSubject only when asked', () => {
    const evaluation: Evaluation = { ...base, status: 'candidate', criteria: [] };
    expect(renderCdsCard(evaluation, context)!.card.links.map((l) => l.type)).toEqual(['absolute']);
    const links = renderCdsCard(evaluation, { ...context, smartLaunch: { url: 'https://apps.example.org/launch', subjectId: 'rs-1' } })!.card.links;
    expect(links[1]).toEqual({
      label: expect.any(String),
      url: 'https://apps.example.org/launch',
      type: 'smart',
      appContext: '{"study":"ResearchStudy/belimumab-iim","subject":"ResearchSubject/rs-1"}',
    });
  });
});
