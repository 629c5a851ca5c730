// One patient's resources as a FHIR `collection` Bundle (what --bundles writes, and what the
// benchmark screens).

import type { Resource } from './resource.js';

export const SYNTHETIC_BASE = 'https://synthetic.fhir-prescreen.org/fhir';

export interface CollectionBundle {
  resourceType: 'Bundle';
  id: string;
  type: 'collection';
  entry: { fullUrl: string; resource: Resource }[];
}

export function toBundle(patientId: string, resources: readonly Resource[]): CollectionBundle {
  return {
    resourceType: 'Bundle',
    id: `cohort-${patientId}`,
    type: 'collection',
    entry: resources.map((resource) => ({ fullUrl: `${SYNTHETIC_BASE}/${resource.resourceType}/${resource.id}`, resource })),
  };
}
