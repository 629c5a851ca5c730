// Reads fhir-mappings/<study>/ (merged with the site folder fhir-mappings/_site/, study-files.ts)
// at start-up: every file is parsed, checked against its TypeBox shape and compiled, or the
// service does not start (MappingError names file, line and path).
// What the study's criteria need of the folder (the ids they read, the shape of thresholds.yaml)
// comes from the caller (screening/study-registry.ts), which knows the criteria.

import type { TSchema } from 'typebox';
import type { IsoDay } from '../fhir/dates.js';
import type { PatientRecord } from '../ingest/patient-record.js';
import { buildModel } from './build-model.js';
import { compileStudy, type MappingFiles } from './compile-study.js';
import { MappingError } from './mapping-error.js';
import { readChecked } from './read-mapping-file.js';
import { NO_NEEDS, type StudyNeeds } from './required-ids.js';
import {
  AssessmentsFile,
  ExtractFile,
  InterpretationFile,
  LabsFile,
  MedicationsFile,
  RoutesFile,
  SharedThresholdsFile,
  StudyFile,
  SystemsFile,
  TimingFile,
  ValueSetsFile,
} from './schema.js';
import type { StudyMapping } from './study.js';
import { readStudyFile, studyContentHash, type MergedFile } from './study-files.js';

const FILES = {
  study: ['study.yaml', StudyFile],
  systems: ['systems.yaml', SystemsFile],
  valueSets: ['value-sets.yaml', ValueSetsFile],
  medications: ['medications.yaml', MedicationsFile],
  labs: ['labs.yaml', LabsFile],
  assessments: ['assessments.yaml', AssessmentsFile],
  interpretation: ['interpretation.yaml', InterpretationFile],
  routes: ['routes.yaml', RoutesFile],
  timing: ['timing.yaml', TimingFile],
  thresholds: ['thresholds.yaml', SharedThresholdsFile],
  extract: ['extract.yaml', ExtractFile],
} as const satisfies Record<keyof MappingFiles, readonly [string, TSchema]>;

export function loadStudyMapping(dir: string, needs: StudyNeeds = NO_NEEDS): StudyMapping {
  const files: Record<string, unknown> = {};
  const merged = new Map<string, MergedFile>();
  for (const [field, [name, schema]] of Object.entries(FILES)) {
    if (field === 'study') {
      files[field] = readChecked(dir, name, schema).data;
      continue;
    }
    const file = readStudyFile(dir, name, field === 'thresholds' ? (needs.thresholds ?? schema) : schema);
    merged.set(name, file);
    files[field] = file.data;
  }
  const mapping = files as unknown as MappingFiles;
  let compiled;
  try {
    compiled = compileStudy(mapping, needs);
  } catch (error) {
    // A problem in a site entry names the site's file.
    throw error instanceof MappingError ? (merged.get(error.file)?.place(error) ?? error) : error;
  }
  const study = mapping.study;
  return {
    id: study.id,
    title: study.title,
    ...(study.acronym === undefined ? {} : { acronym: study.acronym }),
    description: study.description,
    criteria: study.criteria.map((c) => ({ ...c })),
    contentHash: studyContentHash(dir),
    buildModel: (record: PatientRecord, asOf: IsoDay) => buildModel(compiled, record, asOf),
  };
}
