// Records that do not count, for medication records: entered in error, not taken, or a request
// only drafted or cancelled. A not-done administration or a cancelled/declined dispense never
// reached the patient either.

import type { EligibilityModel, MedicationRecord } from '../../mapping/model.js';

const NOT_COUNTED: Record<MedicationRecord['resourceType'], Set<string>> = {
  MedicationStatement: new Set(['not-taken', 'entered-in-error']),
  MedicationRequest: new Set(['cancelled', 'draft', 'entered-in-error']),
  MedicationAdministration: new Set(['not-done', 'entered-in-error']),
  MedicationDispense: new Set(['cancelled', 'declined', 'entered-in-error']),
};

export function medicationCounts(m: MedicationRecord): boolean {
  return m.status === undefined || !NOT_COUNTED[m.resourceType].has(m.status);
}

export function medicationsOf(model: EligibilityModel, agent: string): MedicationRecord[] {
  return model.medications.filter((m) => medicationCounts(m) && m.agents.includes(agent));
}
