// The nightly finder's first pass: "could this Condition make its patient count for
// inc-diagnosis?", answered from the study's own value sets (value-sets.yaml, the same rows
// and the same ValueSetIndex the model builder uses), with plain JSON reads and no FHIRPath.
//
// It is deliberately a superset of what inc-diagnosis counts: differential diagnoses pass
// (only inc-diagnosis drops them), and only the statuses the model builder itself drops
// (verificationStatus refuted / entered-in-error, clinicalStatus entered-in-error, read as the
// first coding's code like extract.yaml does) are left out. The screening that follows is the
// judge; missing a patient here would silently drop them from the worklist.

import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Value } from 'typebox/value';
import { parse } from 'yaml';
import { readCodings } from './fhir-values.js';
import { MappingError } from './mapping-error.js';
import { ownValue } from './own-value.js';
import { SystemsFile, ValueSetsFile } from './schema.js';
import { ValueSetIndex } from './value-set-index.js';

/** The concepts of inc-diagnosis (I2): DM, PM, IIM of unspecified subtype. */
export const DIAGNOSIS_CONCEPTS = ['dx-dm', 'dx-pm', 'dx-iim-unspecified'] as const;

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

export interface DiagnosisPrefilter {
  /** True when a Condition is coded in a diagnosis concept and not dropped by its status. */
  matches(condition: unknown): boolean;
}

/** Reads `<studyDir>/value-sets.yaml` and `systems.yaml`; throws MappingError like the loader. */
export function loadDiagnosisPrefilter(studyDir: string): DiagnosisPrefilter {
  const systems = readYaml(studyDir, 'systems.yaml') as Record<string, string>;
  if (!Value.Check(SystemsFile, systems)) throw new MappingError('systems.yaml', '/', 'does not match its schema');
  const valueSets = readYaml(studyDir, 'value-sets.yaml') as ValueSetsFile;
  if (!Value.Check(ValueSetsFile, valueSets)) throw new MappingError('value-sets.yaml', '/', 'does not match its schema');

  const index = new ValueSetIndex();
  const systemOf = (alias: string, path: string): string => {
    const uri = ownValue(systems, alias);
    if (uri !== undefined) return uri;
    if (/^[a-z][a-z0-9+.-]*:/i.test(alias)) return alias;
    throw new MappingError('value-sets.yaml', path, `unknown code system '${alias}'`);
  };
  for (const concept of DIAGNOSIS_CONCEPTS) {
    const vs = ownValue(valueSets, concept);
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

function readYaml(dir: string, name: string): unknown {
  try {
    return parse(readFileSync(join(dir, name), 'utf8'));
  } catch {
    throw new MappingError(name, '', `cannot read ${name} in ${dir}`);
  }
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
