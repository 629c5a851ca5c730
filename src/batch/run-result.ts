// A screening outcome → the run's per-patient row, and the ResearchSubject to upsert when the
// patient belongs on the worklist (stored as every transport stores one: storage/stored-subject.ts).
// Shared by the in-process run and the queue consumers.

import type { StudyIdentity } from '../screening/study-identity.js';
import type { RunPatientResult } from '../storage/run-store.js';
import { toStoredSubject } from '../storage/stored-subject.js';
import type { ScreenOutcome } from './screen-job.js';

export function toRunResult(
  outcome: ScreenOutcome,
  study: Pick<StudyIdentity, 'id' | 'criteriaVersion' | 'entry'>,
  asOf: string,
  stored: ReadonlySet<string>,
  onNotScreened: (reason: string, patientRef: string) => void,
): RunPatientResult {
  if (outcome.status === 'not-screened') {
    onNotScreened(outcome.reason, outcome.patientRef);
    return { patientRef: outcome.patientRef, status: 'not-screened', failing: [], results: {} };
  }
  const result: RunPatientResult = {
    patientRef: outcome.patientRef,
    status: outcome.status,
    failing: outcome.failing,
    results: outcome.results,
  };
  if (outcome.eligibleFrom) result.eligibleFrom = outcome.eligibleFrom;
  // The worklist holds the patients the entry criterion does not rule out (those who have the
  // disease); a patient already on it stays (now ineligible) so that a diagnosis that
  // disappeared is visible rather than a stale candidate.
  if (ownResult(outcome.results, study.entry.id) !== 'not-met' || stored.has(outcome.patientRef)) {
    // The run's study and day: its workers screened with the same (screen-worker.ts checks the version).
    const screening = { studyId: study.id, patientRef: outcome.patientRef, status: outcome.status, asOf, criteriaVersion: study.criteriaVersion };
    result.subject = toStoredSubject(screening, outcome.resource);
  }
  return result;
}

function ownResult(results: Readonly<Record<string, string>>, id: string): string | undefined {
  return Object.hasOwn(results, id) ? results[id] : undefined;
}
