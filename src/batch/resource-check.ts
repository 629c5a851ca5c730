// "Is this a FHIR resource at all?", the same rule ingest's grouping applies: an object with a
// non-empty string resourceType and, if it has an id, a usable one (ingest/resource-id.ts).

import { isJsonObject } from '../ingest/json-object.js';
import { isUsableId } from '../ingest/resource-id.js';

export function isResource(value: unknown): value is Record<string, unknown> & { resourceType: string } {
  if (!isJsonObject(value)) return false;
  if (typeof value['resourceType'] !== 'string' || value['resourceType'] === '') return false;
  const id = value['id'];
  return id === undefined || isUsableId(id);
}
