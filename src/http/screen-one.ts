// One parsed $screen body → stored ResearchSubjects, one per study asked for. Shared by the
// per-study and the type-level routes, JSON and NDJSON alike, so a line of a batch, a study of
// the type-level answer and a single request are screened and stored exactly alike. The body
// is read, checked and indexed once (readScreenInput), whatever the number of studies; only
// screening, rendering and storing are per study.

import type { Config } from '../config.js';
import type { IsoDay } from '../fhir/dates.js';
import { OperationOutcomeError } from '../fhir/errors.js';
import { buildPatientRecord } from '../ingest/build-patient-record.js';
import type { PatientRecord } from '../ingest/patient-record.js';
import { readScreenBody, screeningDay } from '../ingest/read-screen-body.js';
import { screenStudies } from '../screening/screen-studies.js';
import type { ScreeningStudy } from '../screening/study-registry.js';
import type { NewSubject, Store } from '../storage/store.js';
import { toStoredSubject } from '../storage/stored-subject.js';

export interface ScreenContext {
  config: Config;
  store: Store;
  /** The query's asOf, unparsed: reconciled with the body's. */
  queryAsOf: unknown;
  /** Today (UTC), read by the transport: the default when neither asOf is given, and the bound on asOf. */
  today: IsoDay;
  /** Epoch ms by which the results must be ready to store (SCREEN_TIMEOUT_MS); past it nothing is stored. */
  deadline?: number;
}

/** What every study screens: the patient's record and the day, read once from the body. */
export interface ScreenInput {
  record: PatientRecord;
  asOf: IsoDay;
}

/** What reading a body needs: no store, no transport (a screening thread reads bodies too). */
export interface ReadInputContext {
  maxEntries: number;
  queryAsOf: unknown;
  today: IsoDay;
  deadline?: number;
}

/** Screening is synchronous CPU work: the deadline is checked between its steps, and always before storing. */
function checkDeadline(context: { deadline?: number }): void {
  if (context.deadline !== undefined && Date.now() > context.deadline) throw new OperationOutcomeError('PRESCREEN_TIMEOUT');
}

/** The study-independent part: throws OperationOutcomeError for a bad body, stores nothing. */
export function readScreenInput(body: unknown, context: ReadInputContext): ScreenInput {
  const screenBody = readScreenBody(body);
  const asOf = screeningDay(context.queryAsOf, screenBody, context.today);
  const record = buildPatientRecord(screenBody.bundle, {
    maxEntries: context.maxEntries,
    rootPath: screenBody.bundlePath,
  });
  checkDeadline(context);
  return { record, asOf };
}

/**
 * Screens the body for each study, in the order given, and answers one ResearchSubject each.
 * Storage is all or nothing: the results go to the store in one transaction, and only once
 * every study is screened within the deadline.
 */
export async function screenAndStore(body: unknown, studies: readonly ScreeningStudy[], context: ScreenContext): Promise<Record<string, unknown>[]> {
  const { record, asOf } = readScreenInput(body, { ...context, maxEntries: context.config.maxEntries });
  const subjects: NewSubject[] = [];
  for (const { evaluation, resource } of screenStudies(studies, record, asOf, context.config.canonicalBase)) {
    subjects.push(toStoredSubject(evaluation, resource));
    // After each study, so the last check is the one before storing.
    checkDeadline(context);
  }
  return storeScreened(subjects, asOf, context);
}

/** Stores results screened for `asOf` (here or on a screening thread) once the deadline allows, and answers them. */
export async function storeScreened(subjects: NewSubject[], asOf: IsoDay, context: ScreenContext): Promise<Record<string, unknown>[]> {
  checkDeadline(context);
  const stored = await context.store.upsertSubjects(subjects);
  // The worklist kept its result for a later asOf: the answer is still this screening's own,
  // without a stored version's meta.
  return stored.map((s, i) => (s.asOf === asOf ? s.resource : subjects[i]!.resource));
}
