// Pass 2: every other file the studies read, once. A line that names no candidate in a
// `Patient/<id>` is skipped as bytes, never decoded: that is why the finder beats merely
// parsing the export. A line that names a candidate is parsed and its owner checked properly;
// a line with no `Patient/` at all (a urn:uuid or conditional subject, no subject) is parsed
// too, since only parsing can say whose it is. Medication files come last: by then the
// candidates' medication records say which Medications they reference.
//
// Consequence, by design: a malformed line of a ruled-out patient is not noticed (nothing
// reads it), while every line that reaches screening has been checked. With several studies, a
// problem goes to the studies whose candidates the line names (a single-study run of any other
// would have skipped it), or to every study for a line no run could skip.

import type { CandidateGatherer } from './candidate-gatherer.js';
import type { InputFile } from './input-files.js';
import { contentStart, decodeLine, patientIdsAt, scanLines, type ScanOptions } from './line-scanner.js';
import { namedResource, patientOwner } from './patient-owner.js';
import type { StudyProblems } from './problem-report.js';
import { isResource } from './resource-check.js';

export interface GatherCounts {
  linesRead: number;
  linesParsed: number;
  linesKept: number;
  medicationsKept: number;
}

const MEDICATION_RECORDS = new Set(['MedicationRequest', 'MedicationStatement', 'MedicationAdministration', 'MedicationDispense']);

export async function gatherCandidates(
  files: readonly InputFile[],
  medicationFiles: readonly InputFile[],
  gatherer: CandidateGatherer,
  problems: StudyProblems,
  /** The studies (indices, as in `problems`) a candidate is gathered for. */
  studiesOf: (patientId: string) => readonly number[],
  scan: ScanOptions = {},
): Promise<GatherCounts> {
  const counts: GatherCounts = { linesRead: 0, linesParsed: 0, linesKept: 0, medicationsKept: 0 };
  /** Medication id → the candidates referencing it. */
  const wanted = new Map<string, Set<string>>();

  for (const file of files) {
    await scanLines(
      file.path,
      {
        line(bytes, start, end, line, marker) {
          counts.linesRead += 1;
          const named = marker >= 0 ? patientIdsAt(bytes, marker, end) : undefined;
          if (named && !named.some((id) => gatherer.has(id))) return;
          counts.linesParsed += 1;
          const report = (reason: string): void => problems.add({ file: file.name, line, reason }, named && studiesOfAll(named, gatherer, studiesOf));
          const decoded = decodeLine(bytes, start, end, line);
          if (!decoded.ok) return report(decoded.reason);
          const resource = decoded.value;
          if (!isResource(resource)) return report('not-a-resource');
          const owner = patientOwner(resource);
          if (owner === undefined) return; // not patient data (a type outside the compartment)
          if (owner === 'no-patient-reference' || owner === 'not-patient-data') return report(owner);
          if (!gatherer.has(owner)) return;
          gatherer.addBytes(owner, bytes, contentStart(bytes, start, end, line), end);
          counts.linesKept += 1;
          if (MEDICATION_RECORDS.has(resource.resourceType)) {
            const medication = namedResource(resource['medicationReference']);
            if (medication?.type === 'Medication') {
              const list = wanted.get(medication.id) ?? new Set<string>();
              list.add(owner);
              wanted.set(medication.id, list);
            }
          }
        },
        tooLong: (line) => problems.add({ file: file.name, line, reason: 'line-too-long' }),
      },
      scan,
    );
  }

  if (wanted.size === 0) return counts;
  // A single-study run reads the Medication files when its own candidates reference one.
  const readers = studiesOfAll([...wanted.values()].flatMap((patients) => [...patients]), gatherer, studiesOf);
  for (const file of medicationFiles) {
    await scanLines(
      file.path,
      {
        line(bytes, start, end, line) {
          counts.linesRead += 1;
          counts.linesParsed += 1;
          const decoded = decodeLine(bytes, start, end, line);
          if (!decoded.ok) return problems.add({ file: file.name, line, reason: decoded.reason }, readers);
          const resource = decoded.value;
          if (!isResource(resource)) return problems.add({ file: file.name, line, reason: 'not-a-resource' }, readers);
          const patients = typeof resource['id'] === 'string' ? wanted.get(resource['id']) : undefined;
          if (!patients) return;
          counts.medicationsKept += 1;
          const from = contentStart(bytes, start, end, line);
          for (const patient of patients) gatherer.addBytes(patient, bytes, from, end);
        },
        tooLong: (line) => problems.add({ file: file.name, line, reason: 'line-too-long' }, readers),
      },
      scan,
    );
  }
  return counts;
}

/** The studies of the candidates among `patientIds`, in study order. */
function studiesOfAll(patientIds: readonly string[], gatherer: CandidateGatherer, studiesOf: (patientId: string) => readonly number[]): number[] {
  const studies = new Set<number>();
  for (const id of patientIds) if (gatherer.has(id)) for (const i of studiesOf(id)) studies.add(i);
  return [...studies].sort((a, b) => a - b);
}
