// One CDS service per study, `<study>-prescreen` on patient-view, with the prefetch templates
// its mapping implies. Built once at start-up.

import { join } from 'node:path';
import type { CardCriterion } from '../render/cds-card.js';
import { prefetchCodes } from '../mapping/prefetch-codes.js';
import type { ScreeningStudy } from '../screening/study-registry.js';
import { buildPrefetchTemplates, type PrefetchTemplate } from './prefetch-templates.js';

export const HOOK = 'patient-view';

export interface CdsServiceDefinition {
  id: string;
  study: ScreeningStudy;
  templates: PrefetchTemplate[];
  criteria: ReadonlyMap<string, CardCriterion>;
  /** The discovery entry. */
  discovery: Record<string, unknown>;
}

export function serviceId(studyId: string): string {
  return `${studyId}-prescreen`;
}

export function buildServices(studies: ReadonlyMap<string, ScreeningStudy>, mappingsDir: string): Map<string, CdsServiceDefinition> {
  const services = new Map<string, CdsServiceDefinition>();
  for (const study of studies.values()) {
    const id = serviceId(study.mapping.id);
    const templates = buildPrefetchTemplates(prefetchCodes(join(mappingsDir, study.mapping.id)));
    services.set(id, {
      id,
      study,
      templates,
      criteria: new Map(study.mapping.criteria.map((c) => [c.id, { seed: c.seed, title: c.title }])),
      discovery: {
        hook: HOOK,
        id,
        title: `Trial pre-screen: ${study.mapping.title}`,
        description:
          `Tells the clinician when the patient may qualify for the trial "${study.mapping.title}" ` +
          '(candidate or potential candidate), with what a person must still confirm or the missing data that would decide it.',
        prefetch: Object.fromEntries(templates.map((t) => [t.key, t.template])),
        usageRequirements:
          'Send the prefetch, or fhirServer with a fhirAuthorization bearer token allowed to read these resources of the patient.',
      },
    });
  }
  return services;
}
