// The nightly finder's first pass: "could this Condition make its patient count for the study's
// entry criterion?" (study.yaml `entry:`), answered from the value sets that criterion needs a
// Condition in (screening/study-identity.ts finds them), with the study's and the site's
// value-sets.yaml rows and the same ValueSetIndex the model builder uses: plain JSON reads, no
// FHIRPath.
//
// It is deliberately a superset of what the criterion counts: whatever else the criterion asks
// (a subtype, an antibody, a differential diagnosis left out) is for the screening, and only the
// statuses the model builder itself drops (verificationStatus refuted / entered-in-error,
// clinicalStatus entered-in-error, read as the first coding's code like extract.yaml does) are
// left out. The screening that follows is the judge; missing a patient here would silently drop
// them from the worklist.

import { readCodings } from './fhir-values.js';
import { MappingError } from './mapping-error.js';
import { ownValue } from './own-value.js';
import { SystemsFile, ValueSetsFile } from './schema.js';
import { readStudyFile } from './study-files.js';
import { ValueSetIndex } from './value-set-index.js';

/**
 * Every resource type the model builder reads (build-model.ts), plus Medication, which
 * medication records reference. A batch source needs nothing else: Bulk `_type`, and the
 * files a finder opens.
 */
export const MAPPED_RESOURCE_TYPES: readonly string[] = [
  'Patient',
  'Condition',
  'Observation',
  'DiagnosticReport',
  'MedicationStatement',
  'MedicationRequest',
  'MedicationAdministration',
  'MedicationDispense',
  'Procedure',
  'Encounter',
  'AllergyIntolerance',
  'FamilyMemberHistory',
  'Medication',
];

const DROPPED_VERIFICATION = new Set(['refuted', 'entered-in-error']);

export interface EntryPrefilter {
  /** True when a Condition is coded in one of the entry value sets and not dropped by its status. */
  matches(condition: unknown): boolean;
}

/**
 * Reads `<studyDir>/value-sets.yaml` and `systems.yaml` with the site's for `valueSets` (the
 * entry criterion's, StudyIdentity.entry); throws MappingError like the loader.
 */
export function loadEntryPrefilter(studyDir: string, valueSets: readonly string[]): EntryPrefilter {
  const systems = readStudyFile(studyDir, 'systems.yaml', SystemsFile).data as Record<string, string>;
  const definitions = readStudyFile(studyDir, 'value-sets.yaml', ValueSetsFile).data as ValueSetsFile;

  const index = new ValueSetIndex();
  const systemOf = (alias: string, path: string): string => {
    const uri = ownValue(systems, alias);
    if (uri !== undefined) return uri;
    if (/^[a-z][a-z0-9+.-]*:/i.test(alias)) return alias;
    throw new MappingError('value-sets.yaml', path, `unknown code system '${alias}'`);
  };
  for (const concept of valueSets) {
    const vs = ownValue(definitions, concept);
    if (!vs) throw new MappingError('value-sets.yaml', `/${concept}`, `value set '${concept}' is missing`);
    vs.include.forEach((row, i) => index.include(concept, systemOf(row.system, `/${concept}/include/${i}`), row));
    vs.exclude?.forEach((row, i) => index.exclude(concept, systemOf(row.system, `/${concept}/exclude/${i}`), row));
  }

  return {
    matches(condition: unknown): boolean {
      if (!isRecord(condition) || condition['resourceType'] !== 'Condition') return false;
      const verification = readCodings(condition['verificationStatus'])[0]?.code;
      if (verification !== undefined && DROPPED_VERIFICATION.has(verification)) return false;
      if (readCodings(condition['clinicalStatus'])[0]?.code === 'entered-in-error') return false;
      return readCodings(condition['code']).some((c) => index.match(c.system, c.code).length > 0);
    },
  };
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
