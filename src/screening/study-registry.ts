// Joins each study's compiled mapping with its criteria code. criteriaVersion hashes both,
// so a stored result says exactly which rules and codes produced it.

import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import type { Criterion } from '../criteria/types.js';
import { CRITERIA as BELIMUMAB_IIM } from '../criteria/belimumab-iim/index.js';
import { loadStudyMapping } from '../mapping/load-study.js';
import type { StudyMapping } from '../mapping/study.js';
import { CRITERIA_CODE_VERSIONS, criteriaVersionOf, StudyConfigurationError } from './study-identity.js';

export { StudyConfigurationError };

export interface ScreeningStudy {
  mapping: StudyMapping;
  criteria: Criterion[];
  criteriaVersion: string;
}

const CRITERIA_CODE: ReadonlyMap<string, Criterion[]> = new Map([['belimumab-iim', BELIMUMAB_IIM]]);

export function joinStudy(mapping: StudyMapping): ScreeningStudy {
  const criteria = CRITERIA_CODE.get(mapping.id);
  const version = CRITERIA_CODE_VERSIONS.get(mapping.id);
  if (!criteria || version === undefined) throw new StudyConfigurationError(`study ${mapping.id}: no criteria code is registered for it`);
  const mapped = mapping.criteria.map((c) => c.id).join(',');
  const coded = criteria.map((c) => c.id).join(',');
  if (mapped !== coded) {
    throw new StudyConfigurationError(
      `study ${mapping.id}: the criteria of study.yaml (${mapped}) differ from the criteria code (${coded})`,
    );
  }
  return { mapping, criteria, criteriaVersion: criteriaVersionOf(mapping.contentHash, version) };
}

/** Loads every study folder under `root` (fhir-mappings/); throws on the first problem. */
export function loadStudies(root: string): Map<string, ScreeningStudy> {
  const studies = new Map<string, ScreeningStudy>();
  for (const name of readdirSync(root).sort()) {
    const dir = join(root, name);
    if (!statSync(dir).isDirectory()) continue;
    const study = joinStudy(loadStudyMapping(dir));
    studies.set(study.mapping.id, study);
  }
  if (studies.size === 0) throw new StudyConfigurationError(`no study folder found under ${root}`);
  return studies;
}
