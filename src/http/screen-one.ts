// One parsed $screen body → one stored ResearchSubject. Shared by the JSON and NDJSON forms,
// so a line of a batch is screened exactly as a single request would be.

import type { Config } from '../config.js';
import type { IsoDay } from '../fhir/dates.js';
import { OperationOutcomeError } from '../fhir/errors.js';
import { buildPatientRecord } from '../ingest/build-patient-record.js';
import { readScreenBody, screeningDay } from '../ingest/read-screen-body.js';
import { renderResearchSubject } from '../render/research-subject.js';
import { screenPatient } from '../screening/screen-patient.js';
import type { ScreeningStudy } from '../screening/study-registry.js';
import type { Store } from '../storage/store.js';
import { toStoredSubject } from '../storage/stored-subject.js';

export interface ScreenContext {
  config: Config;
  store: Store;
  study: ScreeningStudy;
  /** The query's asOf, unparsed: reconciled with the body's. */
  queryAsOf: unknown;
  /** Today (UTC), read by the transport: the default when neither asOf is given, and the bound on asOf. */
  today: IsoDay;
  /** Epoch ms by which the result must be ready to store (SCREEN_TIMEOUT_MS); past it nothing is stored. */
  deadline?: number;
}

/** Screening is synchronous CPU work: the deadline is checked between its steps, and always before storing. */
function checkDeadline(context: ScreenContext): void {
  if (context.deadline !== undefined && Date.now() > context.deadline) throw new OperationOutcomeError('PRESCREEN_TIMEOUT');
}

/** Throws OperationOutcomeError for a bad body; stores nothing unless everything succeeded. */
export async function screenAndStore(body: unknown, context: ScreenContext): Promise<Record<string, unknown>> {
  const screenBody = readScreenBody(body);
  const asOf = screeningDay(context.queryAsOf, screenBody, context.today);
  const record = buildPatientRecord(screenBody.bundle, {
    maxEntries: context.config.maxEntries,
    rootPath: screenBody.bundlePath,
  });
  checkDeadline(context);
  const evaluation = screenPatient(context.study, record, asOf);
  const resource = renderResearchSubject(evaluation, { canonicalBase: context.config.canonicalBase });
  checkDeadline(context);
  const stored = await context.store.upsertSubject(toStoredSubject(evaluation, resource));
  // The worklist kept its result for a later asOf: the answer is still this screening's own,
  // without a stored version's meta.
  return stored.asOf === asOf ? stored.resource : resource;
}
