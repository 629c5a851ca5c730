import { describe, expect, it } from 'vitest';
import { OperationOutcomeError, ERRORS, type ErrorCode } from '../../src/fhir/errors.js';
import { renderCapabilityStatement } from '../../src/render/capability-statement.js';
import { renderOperationOutcome } from '../../src/render/operation-outcome.js';
import { renderScreenOperationDefinition } from '../../src/render/operation-definition.js';
import { renderResearchStudy } from '../../src/render/research-study.js';
import { renderSearchset } from '../../src/render/searchset.js';
import { r4Errors } from './r4-validator.js';

const base = { canonicalBase: 'https://fhir-prescreen.org' };

const study = {
  id: 'belimumab-iim',
  title: 'Belimumab in refractory idiopathic inflammatory myositis',
  description: 'A trial.',
  criteria: [
    { id: 'inc-age', type: 'inclusion' as const, seed: 'I1', title: 'Aged 18 to 80' },
    { id: 'exc-hiv', type: 'exclusion' as const, seed: 'E1', title: 'HIV infection' },
  ],
};

describe('R4 resources the service renders', () => {
  it('CapabilityStatement is valid R4 and says what standards.md asks', () => {
    const cs = renderCapabilityStatement({
      ...base,
      implementationUrl: 'https://prescreen.example.org',
      date: '2026-11-24T10:00:00.000Z',
      softwareVersion: '0.1.0',
      studies: [{ id: 'example-trial', title: 'A trial' }],
    });
    expect(r4Errors(cs)).toEqual([]);
    expect(cs).toMatchObject({
      status: 'active',
      kind: 'instance',
      fhirVersion: '4.0.1',
      format: ['json', 'application/fhir+json'],
      implementation: { url: 'https://prescreen.example.org' },
    });
    const [rest] = cs['rest'] as { resource: { type: string; operation?: { name: string; definition: string }[]; searchParam?: { name: string }[] }[] }[];
    const studyResource = rest!.resource.find((r) => r.type === 'ResearchStudy')!;
    expect(studyResource.operation).toEqual([
      { name: 'screen', definition: 'https://fhir-prescreen.org/OperationDefinition/ResearchStudy-screen' },
      { name: 'screen', definition: 'https://fhir-prescreen.org/OperationDefinition/ResearchStudy-screen-all' },
    ]);
    // It names the studies this instance screens for.
    expect((studyResource as { documentation?: string }).documentation).toContain('ResearchStudy/example-trial (A trial)');
    const subject = rest!.resource.find((r) => r.type === 'ResearchSubject')!;
    expect(subject.searchParam!.map((p) => p.name)).toEqual(expect.arrayContaining(['study', 'status']));
  });

  it('OperationDefinition is valid R4 and describes $screen', () => {
    const od = renderScreenOperationDefinition(base);
    expect(r4Errors(od)).toEqual([]);
    expect(od).toMatchObject({
      code: 'screen',
      kind: 'operation',
      resource: ['ResearchStudy'],
      system: false,
      type: false,
      instance: true,
      affectsState: true,
    });
    expect(od['parameter']).toEqual([
      expect.objectContaining({ name: 'bundle', use: 'in', min: 1, max: '1', type: 'Bundle' }),
      expect.objectContaining({ name: 'asOf', use: 'in', min: 0, max: '1', type: 'date' }),
      expect.objectContaining({ name: 'return', use: 'out', min: 1, max: '1', type: 'ResearchSubject' }),
    ]);
  });

  it('ResearchStudy is valid R4 with the criteria as a contained Group', () => {
    const rs = renderResearchStudy(study, base);
    expect(r4Errors(rs)).toEqual([]);
    expect(rs.enrollment).toEqual([{ reference: '#criteria' }]);
    const group = rs.contained[0];
    expect(group).toMatchObject({ resourceType: 'Group', id: 'criteria', type: 'person', actual: false });
    expect(group.characteristic).toEqual([
      {
        code: { coding: [{ system: 'https://fhir-prescreen.org/CodeSystem/belimumab-iim', code: 'inc-age', display: 'Aged 18 to 80' }], text: 'I1: Aged 18 to 80' },
        valueBoolean: true,
        exclude: false,
      },
      {
        code: { coding: [{ system: 'https://fhir-prescreen.org/CodeSystem/belimumab-iim', code: 'exc-hiv', display: 'HIV infection' }], text: 'E1: HIV infection' },
        valueBoolean: true,
        exclude: true,
      },
    ]);
  });

  it.each(Object.keys(ERRORS) as ErrorCode[])('OperationOutcome for %s is valid R4', (code) => {
    const oo = renderOperationOutcome(new OperationOutcomeError(code, { expression: 'Bundle.entry[2].resource', detail: 'Parameter: asOf.' }), base);
    expect(r4Errors(oo)).toEqual([]);
    expect(oo.issue).toHaveLength(1);
    expect(oo.issue[0]).toMatchObject({
      severity: 'error',
      code: ERRORS[code].issue,
      details: { coding: [{ system: 'https://fhir-prescreen.org/CodeSystem/errors', code }] },
    });
  });

  it('a 5xx OperationOutcome carries only the fixed text, whatever detail was attached', () => {
    const oo = renderOperationOutcome(new OperationOutcomeError('PRESCREEN_INTERNAL', { detail: 'Maria', expression: 'x' }), base);
    expect(oo.issue[0]!.details.text).toBe(ERRORS.PRESCREEN_INTERNAL.text);
    expect(oo.issue[0]!.expression).toBeUndefined();
  });

  it('searchset is valid R4, with no entry element when empty', () => {
    const empty = renderSearchset(0, [], { self: 'https://x.org/ResearchSubject?_count=20&_offset=0' });
    expect(r4Errors(empty)).toEqual([]);
    expect(empty).not.toHaveProperty('entry');
    const rs = renderResearchStudy(study, base);
    const full = renderSearchset(3, [{ fullUrl: 'https://x.org/ResearchStudy/belimumab-iim', resource: rs }], {
      self: 'https://x.org/a',
      next: 'https://x.org/b',
      previous: 'https://x.org/c',
    });
    expect(r4Errors(full)).toEqual([]);
    expect(full.link.map((l) => l.relation)).toEqual(['self', 'next', 'previous']);
  });
});
