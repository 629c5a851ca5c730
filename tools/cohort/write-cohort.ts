// writeCohort(): streams a cohort to FHIR Bulk Data NDJSON, one file per resource type, one
// patient at a time through small buffers, so memory stays bounded whatever the size.
// scenarios.ndjson has one line per study patient: {patient, study, scenario}, and for a boundary
// scenario the criterion and its expected result (`expect`); glp1-ckd lines add `manual` (for an
// expected unknown) and the patient's expected `status`.

import { closeSync, mkdirSync, openSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { toBundle } from './bundle.js';
import { type CohortOptions, generateCohort } from './generate-cohort.js';

export const RESOURCE_FILES = [
  'Patient',
  'Condition',
  'Observation',
  'MedicationRequest',
  'MedicationStatement',
  'MedicationAdministration',
  'Medication',
  'Procedure',
  'Encounter',
  'AllergyIntolerance',
  'Immunization',
  'FamilyMemberHistory',
] as const;

export interface WriteOptions extends CohortOptions {
  /** Also write one collection Bundle per patient to `<outDir>/bundles/<patient-id>.json`. */
  bundles?: boolean;
  /** Called after each patient (progress reporting). */
  onPatient?: (index: number) => void;
}

export interface CohortSummary {
  patients: number;
  myositisPatients: number;
  /** Type 2 diabetes patients: the glp1-ckd population. */
  t2dPatients: number;
  resources: number;
  resourcesByType: Record<string, number>;
  bytes: number;
}

const FLUSH_AT = 1 << 20;

class BufferedFile {
  private readonly fd: number;
  private chunks: string[] = [];
  private size = 0;
  bytes = 0;

  constructor(path: string) {
    this.fd = openSync(path, 'w');
  }

  write(line: string): void {
    this.chunks.push(line);
    this.size += line.length;
    if (this.size >= FLUSH_AT) this.flush();
  }

  flush(): void {
    if (this.chunks.length === 0) return;
    this.bytes += writeSync(this.fd, this.chunks.join(''));
    this.chunks = [];
    this.size = 0;
  }

  close(): void {
    this.flush();
    closeSync(this.fd);
  }
}

export function writeCohort(options: WriteOptions, outDir: string): CohortSummary {
  mkdirSync(outDir, { recursive: true });
  if (options.bundles) mkdirSync(join(outDir, 'bundles'), { recursive: true });
  const files = new Map<string, BufferedFile>();
  const fileFor = (type: string): BufferedFile => {
    let f = files.get(type);
    if (!f) {
      f = new BufferedFile(join(outDir, `${type}.ndjson`));
      files.set(type, f);
    }
    return f;
  };
  for (const type of RESOURCE_FILES) fileFor(type);
  const scenarios = new BufferedFile(join(outDir, 'scenarios.ndjson'));
  const summary: CohortSummary = { patients: 0, myositisPatients: 0, t2dPatients: 0, resources: 0, resourcesByType: {}, bytes: 0 };
  try {
    for (const p of generateCohort(options)) {
      for (const r of p.resources) {
        fileFor(r.resourceType).write(JSON.stringify(r) + '\n');
        summary.resourcesByType[r.resourceType] = (summary.resourcesByType[r.resourceType] ?? 0) + 1;
      }
      summary.resources += p.resources.length;
      if (p.scenario) {
        if (p.scenario.study === 'glp1-ckd') summary.t2dPatients++;
        else summary.myositisPatients++;
        const { study, name, criterion, expect, manual, status } = p.scenario;
        scenarios.write(JSON.stringify({ patient: `Patient/${p.patientId}`, study, scenario: name, criterion, expect, manual, status }) + '\n');
      }
      if (options.bundles) {
        const fd = openSync(join(outDir, 'bundles', `${p.patientId}.json`), 'w');
        try {
          summary.bytes += writeSync(fd, JSON.stringify(toBundle(p.patientId, p.resources)));
        } finally {
          closeSync(fd);
        }
      }
      options.onPatient?.(summary.patients);
      summary.patients++;
    }
  } finally {
    for (const f of files.values()) {
      f.close();
      summary.bytes += f.bytes;
    }
    scenarios.close();
  }
  return summary;
}
