// Reads fhir-mappings/<study>/ at start-up: every file is parsed, checked against its TypeBox
// shape and compiled, or the service does not start (MappingError names file and path).

import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import type { TSchema } from 'typebox';
import { Value } from 'typebox/value';
import { parse } from 'yaml';
import type { IsoDay } from '../fhir/dates.js';
import type { PatientRecord } from '../ingest/patient-record.js';
import { buildModel } from './build-model.js';
import { compileStudy, type MappingFiles } from './compile-study.js';
import { MappingError } from './mapping-error.js';
import {
  AssessmentsFile,
  ExtractFile,
  InterpretationFile,
  LabsFile,
  MedicationsFile,
  RoutesFile,
  StudyFile,
  SystemsFile,
  ThresholdsFile,
  TimingFile,
  ValueSetsFile,
} from './schema.js';
import type { StudyMapping } from './study.js';

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
  thresholds: ['thresholds.yaml', ThresholdsFile],
  extract: ['extract.yaml', ExtractFile],
} as const satisfies Record<keyof MappingFiles, readonly [string, TSchema]>;

function readChecked(dir: string, name: string, schema: TSchema): { data: unknown; bytes: Buffer } {
  const path = join(dir, name);
  if (!existsSync(path)) throw new MappingError(name, '', `file is missing from ${dir}`);
  const bytes = readFileSync(path);
  let data: unknown;
  try {
    data = parse(bytes.toString('utf8'), { uniqueKeys: true });
  } catch (err) {
    const why = err instanceof Error ? err.message.split('\n')[0] : String(err);
    throw new MappingError(name, '', `not valid YAML: ${why}`);
  }
  if (data === null || data === undefined) throw new MappingError(name, '', 'file is empty');
  if (!Value.Check(schema, data)) {
    const errors = [...Value.Errors(schema, data)];
    const first = errors.find((e) => e.keyword !== 'boolean') ?? errors[0];
    if (!first) throw new MappingError(name, '/', 'does not match its schema');
    const extra = (first.params as { additionalProperties?: unknown }).additionalProperties;
    const detail = Array.isArray(extra) ? ` (${extra.join(', ')})` : '';
    throw new MappingError(name, first.instancePath || '/', `${first.message}${detail}`);
  }
  return { data, bytes };
}

/** sha256 over the bytes of every YAML file of the folder, in name order. */
function hashFolder(dir: string): string {
  const hash = createHash('sha256');
  for (const name of readdirSync(dir).sort()) {
    const path = join(dir, name);
    if (!name.endsWith('.yaml') || !statSync(path).isFile()) continue;
    hash.update(readFileSync(path));
  }
  return hash.digest('hex');
}

export function loadStudyMapping(dir: string): StudyMapping {
  const files: Record<string, unknown> = {};
  for (const [field, [name, schema]] of Object.entries(FILES)) files[field] = readChecked(dir, name, schema).data;
  const mapping = files as unknown as MappingFiles;
  const compiled = compileStudy(mapping);
  const study = mapping.study;
  return {
    id: study.id,
    title: study.title,
    description: study.description,
    criteria: study.criteria.map((c) => ({ ...c })),
    contentHash: hashFolder(dir),
    buildModel: (record: PatientRecord, asOf: IsoDay) => buildModel(compiled, record, asOf),
  };
}
