// Joins each study's compiled mapping with its criteria code. criteriaVersion hashes both,
// so a stored result says exactly which rules and codes produced it.

import { createHash } from 'node:crypto';
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import type { Criterion } from '../criteria/types.js';
import { CRITERIA as BELIMUMAB_IIM, CRITERIA_CODE_VERSION as BELIMUMAB_IIM_CODE } from '../criteria/belimumab-iim/index.js';
import { loadStudyMapping } from '../mapping/load-study.js';
import type { StudyMapping } from '../mapping/study.js';

export interface ScreeningStudy {
  mapping: StudyMapping;
  criteria: Criterion[];
  criteriaVersion: string;
}

const CRITERIA_CODE: Record<string, { criteria: Criterion[]; version: string }> = {
  'belimumab-iim': { criteria: BELIMUMAB_IIM, version: BELIMUMAB_IIM_CODE },
};

export class StudyConfigurationError extends Error {
  override name = 'StudyConfigurationError';
}

export function joinStudy(mapping: StudyMapping): ScreeningStudy {
  const code = CRITERIA_CODE[mapping.id];
  if (!code) throw new StudyConfigurationError(`study ${mapping.id}: no criteria code is registered for it`);
  const mapped = mapping.criteria.map((c) => c.id).join(',');
  const coded = code.criteria.map((c) => c.id).join(',');
  if (mapped !== coded) {
    throw new StudyConfigurationError(
      `study ${mapping.id}: the criteria of study.yaml (${mapped}) differ from the criteria code (${coded})`,
    );
  }
  const criteriaVersion = createHash('sha256')
    .update(mapping.contentHash)
    .update('\0')
    .update(code.version)
    .digest('hex')
    .slice(0, 16);
  return { mapping, criteria: code.criteria, criteriaVersion };
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
