// The CDS services, built once at start-up: one per study, `<study>-prescreen` on patient-view
// with the prefetch templates its mapping implies, and `trials-prescreen`, which screens every
// study at once with the union of their templates (prefetch-union.ts) and answers one card per
// study the patient may qualify for.

import { join } from 'node:path';
import type { CardCriterion } from '../render/cds-card.js';
import { prefetchCodes } from '../mapping/prefetch-codes.js';
import { StudyConfigurationError, type ScreeningStudy } from '../screening/study-registry.js';
import { buildPrefetchTemplates } from './prefetch-templates.js';
import { unionTemplates, type UnionTemplate } from './prefetch-union.js';

export const HOOK = 'patient-view';

/** The service that screens against every study. */
export const TRIALS_SERVICE = 'trials-prescreen';

export interface CdsServiceStudy {
  study: ScreeningStudy;
  /** criterion id → its protocol number and short title, for the card. */
  criteria: ReadonlyMap<string, CardCriterion>;
}

export interface CdsServiceDefinition {
  id: string;
  /** `study`: one study's service; `trials`: every study's (TRIALS_SERVICE). */
  kind: 'study' | 'trials';
  /** The studies it screens, in the order of GET /ResearchStudy; one for a study's service. */
  studies: CdsServiceStudy[];
  /** Each names the studies that read it, so a call screening fewer studies gathers less. */
  templates: UnionTemplate[];
  /** The discovery entry. */
  discovery: Record<string, unknown>;
}

export function serviceId(studyId: string): string {
  return `${studyId}-prescreen`;
}

const USAGE = 'Send the prefetch, or fhirServer with a fhirAuthorization bearer token allowed to read these resources of the patient.';

const prefetchOf = (templates: UnionTemplate[]) => Object.fromEntries(templates.map((t) => [t.key, t.template]));

export function buildServices(studies: ReadonlyMap<string, ScreeningStudy>, mappingsDir: string): Map<string, CdsServiceDefinition> {
  const services = new Map<string, CdsServiceDefinition>();
  const all: CdsServiceStudy[] = [];
  for (const study of studies.values()) {
    const id = serviceId(study.mapping.id);
    if (id === TRIALS_SERVICE) throw new StudyConfigurationError(`study '${study.mapping.id}': its CDS service id would be ${TRIALS_SERVICE}, the service of every study; rename the study folder`);
    const entry: CdsServiceStudy = { study, criteria: new Map(study.mapping.criteria.map((c) => [c.id, { seed: c.seed, title: c.title }])) };
    all.push(entry);
    const templates = unionTemplates([{ studyId: study.mapping.id, templates: buildPrefetchTemplates(prefetchCodes(join(mappingsDir, study.mapping.id))) }]);
    services.set(id, {
      id,
      kind: 'study',
      studies: [entry],
      templates,
      discovery: {
        hook: HOOK,
        id,
        title: `Trial pre-screen: ${study.mapping.title}`,
        description:
          `Tells the clinician when the patient may qualify for the trial "${study.mapping.title}" ` +
          '(candidate or potential candidate), with what a person must still confirm or the missing data that would decide it.',
        prefetch: prefetchOf(templates),
        usageRequirements: USAGE,
      },
    });
  }
  const templates = unionTemplates([...services.values()].map((s) => ({ studyId: s.studies[0]!.study.mapping.id, templates: s.templates })));
  services.set(TRIALS_SERVICE, {
    id: TRIALS_SERVICE,
    kind: 'trials',
    studies: all,
    templates,
    discovery: {
      hook: HOOK,
      id: TRIALS_SERVICE,
      title: 'Trial pre-screen: every open trial',
      description:
        'Screens the patient against every trial this service holds at once and answers one card per trial the patient may ' +
        'qualify for (candidate or potential candidate), each with what a person must still confirm or the missing data that would decide it.',
      prefetch: prefetchOf(templates),
      usageRequirements: USAGE,
    },
  });
  return services;
}
