// Block `family-history`: a FamilyMemberHistory of the patient with a condition in some value
// sets, by relationship: met when the relative's coded relationship is one of `relationships`
// (e.g. the first-degree codes of v3 RoleCode); such a history with another or no coded
// relationship is unknown, manual (a person asks who it was). None: not-met (closed). A
// record entered in error does not count. The model's familyHistory holds the
// FamilyMemberHistory records whose condition[].code is in a study value set
// (mapping/read-family-history.ts).

import Type, { type Static } from 'typebox';
import type { EligibilityModel, FamilyHistoryRecord } from '../../../mapping/model.js';
import { codingText, listText } from '../../common/labels.js';
import { kitDecided, kitManual, type KitOutcome } from '../outcome.js';
import { Ids } from '../params.js';

export const V3_ROLE_CODE = 'http://terminology.hl7.org/CodeSystem/v3-RoleCode';

export const FamilyHistoryParams = Type.Object(
  {
    valueSets: Ids,
    /** Relationship codes that count (in `relationshipSystem`). */
    relationships: Ids,
    relationshipSystem: Type.Optional(Type.String({ minLength: 1 })),
    name: Type.Optional(Type.String({ minLength: 1 })),
  },
  { additionalProperties: false },
);
export type FamilyHistoryParams = Static<typeof FamilyHistoryParams>;

function relationText(r: FamilyHistoryRecord): string {
  return r.relationship.length > 0 ? r.relationship.map((c) => c.display ?? codingText(c)).join(', ') : 'relationship not coded';
}

export function familyHistory(model: EligibilityModel, p: FamilyHistoryParams): KitOutcome {
  const name = p.name ?? listText(p.valueSets);
  const system = p.relationshipSystem ?? V3_ROLE_CODE;
  const records = model.familyHistory.filter(
    (r) => r.status !== 'entered-in-error' && r.concepts.some((c) => p.valueSets.includes(c)) && !(r.date && r.date.earliest > model.asOf),
  );
  const counts = (r: FamilyHistoryRecord) => r.relationship.some((c) => c.system === system && p.relationships.includes(c.code));
  const hits = records.filter(counts);
  if (hits.length > 0) {
    return kitDecided('met', `family history of ${name}: ${listText(hits.map((r) => `${relationText(r)} (${r.ref})`))}`, hits.map((r) => r.ref));
  }
  if (records.length > 0) {
    return kitManual(
      `family history of ${name} in a relative whose relationship does not say whether it counts: ${listText(records.map((r) => `${relationText(r)} (${r.ref})`))}`,
      records.map((r) => r.ref),
      [{ text: `which relative had ${name}` }],
    );
  }
  return kitDecided('not-met', `no family history of ${name} on record`);
}
