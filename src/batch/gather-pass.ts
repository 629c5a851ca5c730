// Pass 2: every other file the study reads, once. A line that names no candidate in a
// `Patient/<id>` is skipped as bytes, never decoded: that is why the finder beats merely
// parsing the export. A line that names a candidate is parsed and its owner checked properly;
// a line with no `Patient/` at all (a urn:uuid or conditional subject, no subject) is parsed
// too, since only parsing can say whose it is. Medication files come last: by then the
// candidates' medication records say which Medications they reference.
//
// Consequence, by design: a malformed line of a ruled-out patient is not noticed (nothing
// reads it), while every line that reaches screening has been checked.

import type { CandidateGatherer } from './candidate-gatherer.js';
import type { InputFile } from './input-files.js';
import { contentStart, decodeLine, patientIdsAt, scanLines, type ScanOptions } from './line-scanner.js';
import { namedResource, patientOwner } from './patient-owner.js';
import type { ProblemReport } from './problem-report.js';
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
  problems: ProblemReport,
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
          if (marker >= 0 && !patientIdsAt(bytes, marker, end).some((id) => gatherer.has(id))) return;
          counts.linesParsed += 1;
          const decoded = decodeLine(bytes, start, end, line);
          if (!decoded.ok) return problems.add({ file: file.name, line, reason: decoded.reason });
          const resource = decoded.value;
          if (!isResource(resource)) return problems.add({ file: file.name, line, reason: 'not-a-resource' });
          const owner = patientOwner(resource);
          if (owner === undefined) return; // not patient data (a type outside the compartment)
          if (owner === 'no-patient-reference' || owner === 'not-patient-data') {
            return problems.add({ file: file.name, line, reason: owner });
          }
          if (!gatherer.has(owner)) return;
          gatherer.addBytes(owner, bytes, contentStart(bytes, start, end, line), end);
          counts.linesKept += 1;
          if (MEDICATION_RECORDS.has(resource.resourceType)) {
            const named = namedResource(resource['medicationReference']);
            if (named?.type === 'Medication') {
              const list = wanted.get(named.id) ?? new Set<string>();
              list.add(owner);
              wanted.set(named.id, list);
            }
          }
        },
        tooLong: (line) => problems.add({ file: file.name, line, reason: 'line-too-long' }),
      },
      scan,
    );
  }

  if (wanted.size === 0) return counts;
  for (const file of medicationFiles) {
    await scanLines(
      file.path,
      {
        line(bytes, start, end, line) {
          counts.linesRead += 1;
          counts.linesParsed += 1;
          const decoded = decodeLine(bytes, start, end, line);
          if (!decoded.ok) return problems.add({ file: file.name, line, reason: decoded.reason });
          const resource = decoded.value;
          if (!isResource(resource)) return problems.add({ file: file.name, line, reason: 'not-a-resource' });
          const patients = typeof resource['id'] === 'string' ? wanted.get(resource['id']) : undefined;
          if (!patients) return;
          counts.medicationsKept += 1;
          const from = contentStart(bytes, start, end, line);
          for (const patient of patients) gatherer.addBytes(patient, bytes, from, end);
        },
        tooLong: (line) => problems.add({ file: file.name, line, reason: 'line-too-long' }),
      },
      scan,
    );
  }
  return counts;
}
