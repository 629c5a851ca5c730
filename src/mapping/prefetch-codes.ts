// What a CDS client must prefetch for one study, read from the same mapping files the engine
// compiles: the resource types extract.yaml reads, and the exact codes of labs.yaml and
// assessments.yaml (token search needs exact codes; prefix, range and regex rows cannot be
// searched, so they are listed apart for the caller to decide). Nothing here is written twice:
// a site that adds a lab code to labs.yaml gets it in the discovery document on restart.

import type { TSchema } from 'typebox';
import { ownValue } from './own-value.js';
import { AssessmentsFile, ExtractFile, LabsFile, SystemsFile, type CodeRow } from './schema.js';
import { readStudyFile } from './study-files.js';

export interface SearchCode {
  /** The full system URI (short names of systems.yaml resolved). */
  system: string;
  code: string;
}

export interface PrefetchCodes {
  /** Resource types the mapping reads, in extract.yaml order (Patient first). */
  resourceTypes: string[];
  /** Exact codes of every lab and measure: Observation.code. */
  observationCodes: SearchCode[];
  /** Exact codes of the yes/no findings: DiagnosticReport.conclusionCode. */
  conclusionCodes: SearchCode[];
  /** Rows that cannot become a token search (prefix, range, regex): `file: lab id`. */
  unsearchable: string[];
}

/** A mapping file as the loader reads it: the site folder's entries and the study's. */
function read(dir: string, name: string, schema: TSchema): unknown {
  return readStudyFile(dir, name, schema).data;
}

function exactCodes(row: CodeRow, systems: Record<string, string>): SearchCode[] {
  const system = ownValue(systems, row.system) ?? row.system;
  const codes = row.code !== undefined ? [row.code] : row.codes ?? [];
  return codes.map((code) => ({ system, code }));
}

function addUnique(into: SearchCode[], codes: SearchCode[]): void {
  for (const c of codes) if (!into.some((x) => x.system === c.system && x.code === c.code)) into.push(c);
}

const searchable = (row: CodeRow): boolean => row.code !== undefined || row.codes !== undefined;

/** Reads fhir-mappings/<study>/ with the site folder; throws MappingError when a file does not match its shape. */
export function prefetchCodes(studyDir: string): PrefetchCodes {
  const systems = read(studyDir, 'systems.yaml', SystemsFile) as Record<string, string>;
  const labs = read(studyDir, 'labs.yaml', LabsFile) as Record<string, { codes: CodeRow[] }>;
  const measures = read(studyDir, 'assessments.yaml', AssessmentsFile) as Record<string, { codes: CodeRow[]; finding?: boolean }>;
  const extract = read(studyDir, 'extract.yaml', ExtractFile) as Record<string, unknown>;

  const observationCodes: SearchCode[] = [];
  const conclusionCodes: SearchCode[] = [];
  const unsearchable: string[] = [];
  for (const [id, lab] of Object.entries(labs)) {
    for (const row of lab.codes) {
      if (searchable(row)) addUnique(observationCodes, exactCodes(row, systems));
      else unsearchable.push(`labs.yaml: ${id}`);
    }
  }
  for (const [id, measure] of Object.entries(measures)) {
    for (const row of measure.codes) {
      if (!searchable(row)) {
        unsearchable.push(`assessments.yaml: ${id}`);
        continue;
      }
      addUnique(observationCodes, exactCodes(row, systems));
      // build-model reads every measure code in DiagnosticReport.conclusionCode.
      addUnique(conclusionCodes, exactCodes(row, systems));
    }
  }
  const types = Object.keys(extract);
  const resourceTypes = ['Patient', ...types.filter((t) => t !== 'Patient')];
  return { resourceTypes, observationCodes, conclusionCodes, unsearchable };
}
