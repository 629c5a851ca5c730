// One patient, one study, one day, through every transport that stores a ResearchSubject:
// $screen, CDS Hooks on the request thread and on a screening thread, and the nightly finder.
// Each stores its row through storage/stored-subject.ts, so the rows are equal column for
// column and the resources equal text for text (meta and lastUpdated are each row's own).

import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { findPatients } from '../../src/batch/find-patients.js';
import type { StoredSubject } from '../../src/storage/store.js';
import { CANONICAL_BASE, MAPPINGS_DIR, openTestRunStorage, quietLogger, tempDir } from '../batch/helpers.js';
import { call, discovery, listen, SERVICE, typicalPatient, type Json, type Listening } from '../cds-hooks/setup.js';

const STUDY = 'belimumab-iim';

/** The complete prefetch of the patient, each template answered from its resources. */
function fullPrefetch(templates: Record<string, string>, resources: Json[]): Json {
  const byKey: Json = {};
  for (const [key, template] of Object.entries(templates)) {
    const type = template.split(/[/?]/)[0]!;
    if (type === 'Patient') byKey[key] = resources.find((r) => r['resourceType'] === 'Patient');
    else byKey[key] = { resourceType: 'Bundle', type: 'searchset', entry: resources.filter((r) => r['resourceType'] === type).map((resource) => ({ resource })) };
  }
  return byKey;
}

/** A row as every channel must store it: without what each write gives its own row. */
function comparable(row: StoredSubject | undefined): { columns: Json; resourceText: string } {
  expect(row).toBeDefined();
  const { lastUpdated: _lastUpdated, resource, ...columns } = row!;
  return { columns, resourceText: JSON.stringify({ ...resource, meta: undefined }) };
}

const offThreadCalls = (app: Listening) => app.logs.records().filter((r) => r['msg'] === 'cds call screened on a worker thread').length;

/** The subject id a CDS answer's card links to. */
async function cdsSubjectId(app: Listening, body: Json): Promise<string> {
  const response = await app.post(`/cds-services/${SERVICE}`, body);
  expect(response.status).toBe(200);
  const [card] = ((await response.json()) as { cards: Json[] }).cards;
  return (card!['links'] as { url: string }[])[0]!.url.split('/app#/subject/')[1]!;
}

describe('the stored row of one screening, by channel', () => {
  const tmp = tempDir('stored-row');
  afterAll(() => tmp.remove());

  it('is the same from $screen, CDS (request thread and screening thread) and the finder', { timeout: 120_000 }, async () => {
    const today = new Date().toISOString().slice(0, 10);
    const { bundle, patientId, resources } = typicalPatient();

    // $screen.
    const screenApp = await listen({ CDS_SCREEN_THREADS: '0' });
    const screened = await screenApp.post(`/ResearchStudy/${STUDY}/$screen?asOf=${today}`, bundle, { 'content-type': 'application/fhir+json' });
    expect(screened.status).toBe(200);
    const subjectId = String(((await screened.json()) as Json)['id']);
    const viaScreen = comparable(await screenApp.store.getSubject(subjectId));

    // CDS on the request thread, then on a screening thread (it starts with the first call).
    const inline = await listen({ CDS_SCREEN_THREADS: '0', LOG_LEVEL: 'debug' });
    const body = call(patientId, { prefetch: fullPrefetch((await discovery(inline)).prefetch, resources) });
    expect(await cdsSubjectId(inline, body)).toBe(subjectId);
    expect(offThreadCalls(inline)).toBe(0);
    const viaCdsInline = comparable(await inline.store.getSubject(subjectId));

    const threaded = await listen({ CDS_SCREEN_THREADS: '1', LOG_LEVEL: 'debug' });
    for (let i = 0; i < 200 && offThreadCalls(threaded) === 0; i++) {
      expect(await cdsSubjectId(threaded, body)).toBe(subjectId);
      if (offThreadCalls(threaded) === 0) await new Promise((r) => setTimeout(r, 100));
    }
    expect(offThreadCalls(threaded)).toBeGreaterThan(0);
    const viaCdsThread = comparable(await threaded.store.getSubject(subjectId));

    // The finder, on an export of the same resources.
    const input = join(tmp.dir, 'export');
    mkdirSync(input);
    const byType = new Map<string, string[]>();
    for (const r of resources) byType.set(String(r['resourceType']), [...(byType.get(String(r['resourceType'])) ?? []), JSON.stringify(r)]);
    for (const [type, lines] of byType) writeFileSync(join(input, `${type}.ndjson`), `${lines.join('\n')}\n`);
    const storage = await openTestRunStorage();
    let viaFinder: ReturnType<typeof comparable>;
    try {
      const found = await findPatients(
        { studyId: STUDY, asOf: today, input, outDir: join(tmp.dir, 'out'), resume: false, workers: 1, mappingsDir: MAPPINGS_DIR, canonicalBase: CANONICAL_BASE, logger: quietLogger },
        storage,
      );
      expect(found.counts).toMatchObject({ screened: 1, stored: 1 });
      viaFinder = comparable(await storage.store.getSubject(subjectId));
    } finally {
      await storage.close();
    }

    expect(viaScreen.columns).toMatchObject({ id: subjectId, studyId: STUDY, patientRef: `Patient/${patientId}`, asOf: today });
    expect(viaCdsInline).toEqual(viaScreen);
    expect(viaCdsThread).toEqual(viaScreen);
    expect(viaFinder).toEqual(viaScreen);
  });
});
