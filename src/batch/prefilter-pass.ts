// Pass 1: the small files. Every Condition line is parsed and checked against the value sets of
// the study's entry criterion (study.yaml `entry:`); the patients with a match are the only ones
// the finder reads further.
// Then the Patient files: every Patient counts in the population, and the candidates' Patient
// lines go straight to the gatherer.

import type { EntryPrefilter } from '../mapping/entry-prefilter.js';
import type { CandidateGatherer } from './candidate-gatherer.js';
import type { InputFile } from './input-files.js';
import { contentStart, decodeLine, scanLines, type ScanOptions } from './line-scanner.js';
import { patientOwner } from './patient-owner.js';
import type { ProblemReport } from './problem-report.js';
import { isResource } from './resource-check.js';

/** Patient ids with a diagnosis Condition (by the prefilter). */
export async function diagnosedPatients(
  files: readonly InputFile[],
  prefilter: EntryPrefilter,
  problems: ProblemReport,
  scan: ScanOptions = {},
): Promise<Set<string>> {
  const diagnosed = new Set<string>();
  for (const file of files) {
    await scanLines(
      file.path,
      {
        line(bytes, start, end, line) {
          const decoded = decodeLine(bytes, start, end, line);
          if (!decoded.ok) return problems.add({ file: file.name, line, reason: decoded.reason });
          if (!isResource(decoded.value)) return problems.add({ file: file.name, line, reason: 'not-a-resource' });
          if (!prefilter.matches(decoded.value)) return;
          const owner = patientOwner(decoded.value);
          if (owner === 'no-patient-reference' || owner === 'not-patient-data') {
            problems.add({ file: file.name, line, reason: owner });
          } else if (owner !== undefined) {
            diagnosed.add(owner);
          }
        },
        tooLong: (line) => problems.add({ file: file.name, line, reason: 'line-too-long' }),
      },
      scan,
    );
  }
  return diagnosed;
}

/** Distinct Patient ids of the export; candidates' Patient lines are handed to the gatherer. */
export async function scanPatients(
  files: readonly InputFile[],
  gatherer: CandidateGatherer,
  problems: ProblemReport,
  scan: ScanOptions = {},
): Promise<Set<string>> {
  const population = new Set<string>();
  for (const file of files) {
    await scanLines(
      file.path,
      {
        line(bytes, start, end, line) {
          const decoded = decodeLine(bytes, start, end, line);
          if (!decoded.ok) return problems.add({ file: file.name, line, reason: decoded.reason });
          const value = decoded.value;
          if (!isResource(value) || value.resourceType !== 'Patient') {
            return problems.add({ file: file.name, line, reason: 'not-a-resource' });
          }
          if (typeof value['id'] !== 'string') return problems.add({ file: file.name, line, reason: 'patient-unidentified' });
          population.add(value['id']);
          if (gatherer.has(value['id'])) gatherer.addBytes(value['id'], bytes, contentStart(bytes, start, end, line), end);
        },
        tooLong: (line) => problems.add({ file: file.name, line, reason: 'line-too-long' }),
      },
      scan,
    );
  }
  return population;
}
