// Pass 1: the small files. Every Condition line is parsed once and checked against the value
// sets of each study's entry criterion (study.yaml `entry:`); the patients with a match for some
// study are the only ones the finder reads further.
// Then the Patient files: every Patient counts in the population, and the candidates' Patient
// lines go straight to the gatherer.

import type { EntryPrefilter } from '../mapping/entry-prefilter.js';
import type { CandidateGatherer } from './candidate-gatherer.js';
import type { InputFile } from './input-files.js';
import { contentStart, decodeLine, scanLines, type ScanOptions } from './line-scanner.js';
import { patientOwner } from './patient-owner.js';
import type { StudyProblems } from './problem-report.js';
import { isResource } from './resource-check.js';

/**
 * Per study (in the order of `prefilters`), the patient ids with a Condition its prefilter
 * matches. A line's problem goes to every study, or, once a prefilter matched it, to those
 * whose prefilter did.
 */
export async function diagnosedPatients(
  files: readonly InputFile[],
  prefilters: readonly EntryPrefilter[],
  problems: StudyProblems,
  scan: ScanOptions = {},
): Promise<Set<string>[]> {
  const diagnosed = prefilters.map(() => new Set<string>());
  for (const file of files) {
    await scanLines(
      file.path,
      {
        line(bytes, start, end, line) {
          const decoded = decodeLine(bytes, start, end, line);
          if (!decoded.ok) return problems.add({ file: file.name, line, reason: decoded.reason });
          if (!isResource(decoded.value)) return problems.add({ file: file.name, line, reason: 'not-a-resource' });
          const matched: number[] = [];
          for (let i = 0; i < prefilters.length; i++) if (prefilters[i]!.matches(decoded.value)) matched.push(i);
          if (matched.length === 0) return;
          const owner = patientOwner(decoded.value);
          if (owner === 'no-patient-reference' || owner === 'not-patient-data') {
            problems.add({ file: file.name, line, reason: owner }, matched);
          } else if (owner !== undefined) {
            for (const i of matched) diagnosed[i]!.add(owner);
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
  problems: StudyProblems,
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
