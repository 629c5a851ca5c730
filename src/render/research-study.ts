// Renders a study as an R4 ResearchStudy whose eligibility criteria are a contained Group:
// one characteristic per criterion, coded in the study's own CodeSystem by criterion id.

import { criteriaCodeSystemUrl } from './canonical-urls.js';
import type { CodeableConcept } from './fhir-shapes.js';

/** What a ResearchStudy needs of a study (StudyMapping satisfies it). */
export interface StudyDescription {
  id: string;
  title: string;
  description: string;
  criteria: ReadonlyArray<{ id: string; type: 'inclusion' | 'exclusion'; seed: string; title: string }>;
}

export interface GroupCharacteristic {
  code: CodeableConcept;
  valueBoolean: true;
  exclude: boolean;
}

export interface ResearchStudyResource {
  resourceType: 'ResearchStudy';
  id: string;
  contained: [
    {
      resourceType: 'Group';
      id: 'criteria';
      type: 'person';
      actual: false;
      characteristic: GroupCharacteristic[];
    },
  ];
  identifier: [{ system: string; value: string }];
  title: string;
  status: 'active';
  description?: string;
  enrollment: [{ reference: '#criteria' }];
  [key: string]: unknown;
}

export function renderResearchStudy(study: StudyDescription, context: { canonicalBase: string }): ResearchStudyResource {
  const system = criteriaCodeSystemUrl(context.canonicalBase, study.id);
  const resource: ResearchStudyResource = {
    resourceType: 'ResearchStudy',
    id: study.id,
    contained: [
      {
        resourceType: 'Group',
        id: 'criteria',
        type: 'person',
        actual: false,
        characteristic: study.criteria.map((c) => ({
          code: {
            coding: [{ system, code: c.id, display: c.title }],
            text: `${c.seed}: ${c.title}`,
          },
          valueBoolean: true,
          // R4 makes `exclude` 1..1, so inclusions say false rather than leaving it out.
          exclude: c.type === 'exclusion',
        })),
      },
    ],
    // R4 ResearchStudy has no `url` (R5 adds it): the study id goes in an identifier instead.
    identifier: [{ system: `${context.canonicalBase}/ResearchStudy`, value: study.id }],
    title: study.title,
    status: 'active',
    enrollment: [{ reference: '#criteria' }],
  };
  if (study.description.trim()) resource.description = study.description;
  return resource;
}
