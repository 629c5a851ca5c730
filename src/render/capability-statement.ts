// The CapabilityStatement served at /metadata. It describes this running instance, so it names
// the studies loaded from MAPPINGS_DIR: each is a ResearchStudy to read and to `$screen` against,
// and the one thing `study=` of the ResearchSubject search accepts.

import { screenAllOperationUrl, screenOperationUrl } from './canonical-urls.js';
import type { Resource } from './fhir-shapes.js';

export interface CapabilityContext {
  canonicalBase: string;
  /** The base URL clients reach this instance at [cpb-14]. */
  implementationUrl: string;
  /** When this instance started: the statement describes this running instance. */
  date: string;
  softwareVersion: string;
  /** The studies this instance screens for, in GET /ResearchStudy order. */
  studies: readonly { id: string; title: string }[];
}

function studyList(studies: CapabilityContext['studies']): string {
  return studies.length === 0 ? 'none' : studies.map((s) => `ResearchStudy/${s.id} (${s.title})`).join('; ');
}

export function renderCapabilityStatement(context: CapabilityContext): Resource {
  return {
    resourceType: 'CapabilityStatement',
    url: `${context.canonicalBase}/CapabilityStatement/fhir-prescreen`,
    name: 'FhirPrescreen',
    title: 'fhir-prescreen: clinical trial pre-screening',
    status: 'active',
    date: context.date,
    publisher: 'fhir-prescreen',
    description: 'Pre-screens patients for clinical trials from FHIR R4 data.',
    kind: 'instance',
    software: { name: 'fhir-prescreen', version: context.softwareVersion },
    implementation: { description: 'fhir-prescreen', url: context.implementationUrl },
    fhirVersion: '4.0.1',
    format: ['json', 'application/fhir+json'],
    rest: [
      {
        mode: 'server',
        resource: [
          {
            type: 'ResearchStudy',
            documentation:
              `The studies screened here, each read at ResearchStudy/{id} and screened with POST ResearchStudy/{id}/$screen, ` +
              `all at once (or those named by study=a,b) with POST ResearchStudy/$screen: ${studyList(context.studies)}.`,
            interaction: [{ code: 'read' }, { code: 'search-type' }],
            // One name, two definitions: per study (instance) and every study (type).
            operation: [
              { name: 'screen', definition: screenOperationUrl(context.canonicalBase) },
              { name: 'screen', definition: screenAllOperationUrl(context.canonicalBase) },
            ],
          },
          {
            type: 'ResearchSubject',
            interaction: [{ code: 'read' }, { code: 'search-type' }],
            searchParam: [
              { name: 'study', type: 'reference', documentation: `ResearchStudy/<id> or the bare study id, of: ${context.studies.map((st) => st.id).join(', ') || 'none'}` },
              { name: 'status', type: 'token', documentation: 'ineligible, potential-candidate or candidate; comma for OR' },
              { name: 'patient', type: 'reference', documentation: 'Patient/<id> or the bare patient id' },
              { name: '_lastUpdated', type: 'date', documentation: 'only the ge prefix: ge<date or instant>' },
              { name: 'held-by', type: 'token', documentation: 'a criterion id: results whose only failing criterion is that one' },
              { name: 'changed', type: 'token', documentation: 'true: results changed by the latest nightly run, or screened since it' },
            ],
          },
          {
            type: 'OperationDefinition',
            interaction: [{ code: 'read' }],
          },
          {
            type: 'AuditEvent',
            interaction: [{ code: 'read' }, { code: 'search-type' }],
            searchParam: [
              { name: 'patient', type: 'reference', documentation: 'Patient/<id> or the bare id: events that name this patient' },
              { name: 'subtype', type: 'token', documentation: 'kind of event; comma for OR' },
              { name: 'agent', type: 'token', documentation: 'who: a client id, an API key name, a CDS issuer, or anonymous' },
              { name: 'date', type: 'date', documentation: 'ge/le/gt/lt prefixes' },
            ],
          },
        ],
      },
    ],
  };
}
