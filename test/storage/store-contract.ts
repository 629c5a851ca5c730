// One behaviour, two databases: sql-store.test.ts runs this against PGlite and PostgreSQL.
import { expect, it, onTestFinished } from 'vitest';
import { resourceJson } from '../../src/storage/resource-json.js';
import type { NewSubject, NewSubjectJson, Store, StoredSubject } from '../../src/storage/store.js';

export function subject(id: string, overrides: Partial<NewSubject> = {}): NewSubject {
  const studyId = overrides.studyId ?? 'belimumab-iim';
  const patientRef = overrides.patientRef ?? `Patient/${id}`;
  const status = overrides.status ?? 'potential-candidate';
  return {
    id,
    studyId,
    patientRef,
    status,
    asOf: '2026-11-24',
    criteriaVersion: 'sha256-abc',
    resource: {
      resourceType: 'ResearchSubject',
      id,
      status,
      study: { reference: `ResearchStudy/${studyId}`, display: 'Belimumab in IIM' },
      individual: { reference: patientRef },
      extension: [
        {
          url: 'https://example.org/StructureDefinition/eligibility-evaluation',
          extension: [
            { url: 'asOf', valueDate: '2026-11-24' },
            { url: 'reason', valueString: 'naïve "quoted" \\ text — ✓' },
            { url: 'score', valueDecimal: 0.30000000000000004 },
          ],
        },
      ],
    },
    ...overrides,
  };
}

/** The same subject with its resource as JSON text, as a CDS screening thread sends it. */
export function asJson(s: NewSubject): NewSubjectJson {
  const { resource, ...columns } = s;
  return { ...columns, resourceJson: resourceJson(resource) };
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export function storeContract(open: () => Promise<Store>): void {
  async function fresh(): Promise<Store> {
    const store = await open();
    onTestFinished(() => store.close());
    return store;
  }

  it('inserts a subject, stamping meta.versionId and meta.lastUpdated to match the row', async () => {
    const store = await fresh();
    const input = subject('rs-1');
    input.resource['meta'] = { profile: ['https://example.org/p'] };
    const before = Date.now();

    const stored = await store.upsertSubject(input);

    expect(stored.lastUpdated).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
    expect(Date.parse(stored.lastUpdated)).toBeGreaterThanOrEqual(before - 5_000);
    expect(stored.resource['meta']).toEqual({
      profile: ['https://example.org/p'],
      versionId: '1',
      lastUpdated: stored.lastUpdated,
    });
    const read = await store.getSubject('rs-1');
    expect(read).toEqual(stored);
    const { meta: _meta, ...body } = read!.resource;
    const { meta: _inputMeta, ...inputBody } = input.resource;
    expect(body).toEqual(inputBody);
  });

  it('does not change the caller’s resource object', async () => {
    const store = await fresh();
    const input = subject('rs-1');
    const copy = structuredClone(input);
    await store.upsertSubject(input);
    expect(input).toEqual(copy);
  });

  it('replaces by id: one row, new content, versionId incremented, lastUpdated not earlier', async () => {
    const store = await fresh();
    const first = await store.upsertSubject(subject('rs-1'));
    await sleep(5);
    const second = await store.upsertSubject(subject('rs-1', { status: 'ineligible', asOf: '2026-12-01' }));

    expect(second.resource['meta']).toMatchObject({ versionId: '2' });
    expect(Date.parse(second.lastUpdated)).toBeGreaterThan(Date.parse(first.lastUpdated));
    const read = await store.getSubject('rs-1');
    expect(read).toMatchObject({ status: 'ineligible', asOf: '2026-12-01', lastUpdated: second.lastUpdated });
    const all = await store.searchSubjects({ count: 10, offset: 0 });
    expect(all.total).toBe(1);
  });

  it('writes a batch with stored, new and repeated subjects in order, each write a version', async () => {
    const store = await fresh();
    await store.upsertSubjects([subject('rs-1'), subject('rs-2')]);
    const stored = await store.upsertSubjects([
      subject('rs-1'),
      subject('rs-2', { status: 'ineligible' }),
      subject('rs-3'),
      subject('rs-3', { status: 'ineligible' }),
    ]);
    expect(stored.map((s) => [s.id, s.status, (s.resource['meta'] as { versionId: string }).versionId])).toEqual([
      ['rs-1', 'potential-candidate', '2'],
      ['rs-2', 'ineligible', '2'],
      ['rs-3', 'potential-candidate', '1'],
      ['rs-3', 'ineligible', '2'],
    ]);
    expect(await store.getSubject('rs-3')).toEqual(stored[3]);
    expect(await store.getSubject('rs-1')).toEqual(stored[0]);
  });

  it('stores a subject given as JSON text exactly as the same subject given as an object', async () => {
    const byObject = await fresh();
    const byText = await fresh();
    const input = subject('rs-1');
    input.resource['meta'] = { profile: ['https://example.org/p'], versionId: 'ignored' };

    const stored = await byObject.upsertSubject(input);
    await byText.writeSubjects([asJson(input)]);
    const read = (await byText.getSubject('rs-1'))!;

    // Two stores, two instants: alike once lastUpdated is set aside, key order included.
    const withoutTime = (s: StoredSubject) => JSON.stringify(s).replaceAll(s.lastUpdated, 'T');
    expect(withoutTime(read)).toBe(withoutTime(stored));
    expect(read.resource['meta']).toEqual({ profile: ['https://example.org/p'], versionId: '1', lastUpdated: read.lastUpdated });
  });

  it('writes text and objects in one batch, in order, each write a version, as upsertSubjects does', async () => {
    const store = await fresh();
    await store.upsertSubjects([subject('rs-1')]);
    await store.writeSubjects([
      asJson(subject('rs-1', { status: 'ineligible' })),
      subject('rs-2'),
      asJson(subject('rs-3')),
      subject('rs-3', { status: 'candidate' }),
      asJson(subject('rs-3', { status: 'ineligible' })),
    ]);
    const read = await Promise.all(['rs-1', 'rs-2', 'rs-3'].map((id) => store.getSubject(id)));
    expect(read.map((s) => [s?.id, s?.status, s?.resource['status'], (s?.resource['meta'] as { versionId: string }).versionId])).toEqual([
      ['rs-1', 'ineligible', 'ineligible', '2'],
      ['rs-2', 'potential-candidate', 'potential-candidate', '1'],
      ['rs-3', 'ineligible', 'ineligible', '3'],
    ]);
    // An object written after text counts on from the text's version.
    expect((await store.upsertSubject(subject('rs-3'))).resource['meta']).toMatchObject({ versionId: '4' });
    await store.writeSubjects([]);
  });

  it('writes a batch of text all or none', async () => {
    const store = await fresh();
    const existing = await store.upsertSubject(subject('kept', { status: 'candidate' }));
    await expect(
      store.writeSubjects([asJson(subject('new-1')), asJson(subject('kept', { status: 'ineligible' })), asJson(subject('broken', { asOf: '2026-02-30' }))]),
    ).rejects.toThrow();
    expect(await store.getSubject('new-1')).toBeUndefined();
    expect(await store.getSubject('kept')).toEqual(existing);
  });

  it('answers undefined for an unknown id', async () => {
    const store = await fresh();
    expect(await store.getSubject('nope')).toBeUndefined();
  });

  it('rejects a subject the database cannot hold and leaves nothing behind', async () => {
    const store = await fresh();
    await expect(store.upsertSubject(subject('rs-bad', { asOf: 'not-a-date' }))).rejects.toThrow();
    expect(await store.getSubject('rs-bad')).toBeUndefined();
    expect((await store.searchSubjects({ count: 10, offset: 0 })).total).toBe(0);
  });

  it('stores a batch in input order and answers an empty batch with nothing', async () => {
    const store = await fresh();
    const stored = await store.upsertSubjects([subject('b'), subject('a'), subject('c')]);
    expect(stored.map((s) => s.id)).toEqual(['b', 'a', 'c']);
    expect((await store.searchSubjects({ count: 10, offset: 0 })).total).toBe(3);
    expect(await store.upsertSubjects([])).toEqual([]);
  });

  it('applies a batch all or none: one failing row rolls back inserts and replacements', async () => {
    const store = await fresh();
    const existing = await store.upsertSubject(subject('kept', { status: 'candidate' }));

    await expect(
      store.upsertSubjects([
        subject('new-1'),
        subject('kept', { status: 'ineligible' }),
        subject('broken', { asOf: '2026-02-30' }),
      ]),
    ).rejects.toThrow();

    expect(await store.getSubject('new-1')).toBeUndefined();
    expect(await store.getSubject('broken')).toBeUndefined();
    expect(await store.getSubject('kept')).toEqual(existing);
    // The store still works after the rollback.
    await store.upsertSubjects([subject('new-1')]);
    expect(await store.getSubject('new-1')).toBeDefined();
  });

  it('keeps a stored result for a later asOf: an earlier one is not stored, and the kept one is returned', async () => {
    const store = await fresh();
    const later = await store.upsertSubject(subject('rs-1', { status: 'candidate', asOf: '2026-11-24' }));
    const returned = await store.upsertSubject(subject('rs-1', { status: 'ineligible', asOf: '2026-10-26' }));
    expect(returned).toEqual(later);
    expect(await store.getSubject('rs-1')).toEqual(later);
    // The same asOf replaces (new data for that day).
    const same = await store.upsertSubject(subject('rs-1', { status: 'ineligible', asOf: '2026-11-24' }));
    expect(same).toMatchObject({ status: 'ineligible', resource: { meta: { versionId: '2' } } });
  });

  it('keeps later results in a batch and through writeSubjects (CDS Hooks, the finder) alike', async () => {
    const store = await fresh();
    const kept = await store.upsertSubject(subject('kept', { status: 'candidate', asOf: '2026-11-24' }));
    const stored = await store.upsertSubjects([subject('kept', { status: 'ineligible', asOf: '2026-10-26' }), subject('new', { asOf: '2026-10-26' })]);
    expect(stored.map((s) => [s.id, s.asOf, s.status])).toEqual([
      ['kept', '2026-11-24', 'candidate'],
      ['new', '2026-10-26', 'potential-candidate'],
    ]);
    await store.writeSubjects([asJson(subject('kept', { status: 'ineligible', asOf: '2026-11-23' })), subject('new', { status: 'ineligible', asOf: '2026-10-27' })]);
    expect(await store.getSubject('kept')).toEqual(kept);
    expect(await store.getSubject('new')).toMatchObject({ status: 'ineligible', asOf: '2026-10-27' });
  });

  it('lets the later of two rows with one id in a batch win', async () => {
    const store = await fresh();
    await store.upsertSubjects([subject('twice', { status: 'candidate' }), subject('twice', { status: 'ineligible' })]);
    const read = await store.getSubject('twice');
    expect(read?.status).toBe('ineligible');
    expect(read?.resource['meta']).toMatchObject({ versionId: '2' });
  });

  async function seed(store: Store): Promise<StoredSubject[]> {
    const rows: NewSubject[] = [
      subject('s1', { status: 'candidate', patientRef: 'Patient/p1' }),
      subject('s2', { status: 'ineligible', patientRef: 'Patient/p2' }),
      subject('s3', { status: 'potential-candidate', patientRef: 'Patient/p3' }),
      subject('s4', { status: 'candidate', patientRef: 'Patient/p4' }),
      subject('o1', { studyId: 'other-study', status: 'candidate', patientRef: 'Patient/p1' }),
    ];
    const stored: StoredSubject[] = [];
    for (const row of rows) {
      stored.push(await store.upsertSubject(row));
      await sleep(5);
    }
    return stored;
  }

  it('searches newest lastUpdated first, with total', async () => {
    const store = await fresh();
    await seed(store);
    const all = await store.searchSubjects({ count: 50, offset: 0 });
    expect(all.total).toBe(5);
    expect(all.items.map((s) => s.id)).toEqual(['o1', 's4', 's3', 's2', 's1']);
  });

  it('breaks lastUpdated ties by id', async () => {
    const store = await fresh();
    const stored = await store.upsertSubjects([subject('z'), subject('m'), subject('a')]);
    expect(new Set(stored.map((s) => s.lastUpdated)).size).toBe(1);
    const page = await store.searchSubjects({ count: 10, offset: 0 });
    expect(page.items.map((s) => s.id)).toEqual(['a', 'm', 'z']);
  });

  it('filters by study, by any of several statuses, by patient, and by all of them at once', async () => {
    const store = await fresh();
    await seed(store);
    const ids = async (query: Parameters<Store['searchSubjects']>[0]) => {
      const found = await store.searchSubjects(query);
      expect(found.total).toBe(found.items.length);
      return found.items.map((s) => s.id);
    };
    expect(await ids({ study: 'belimumab-iim', count: 50, offset: 0 })).toEqual(['s4', 's3', 's2', 's1']);
    expect(await ids({ status: ['candidate', 'potential-candidate'], count: 50, offset: 0 })).toEqual([
      'o1',
      's4',
      's3',
      's1',
    ]);
    expect(await ids({ status: ['ineligible'], count: 50, offset: 0 })).toEqual(['s2']);
    expect(await ids({ patient: 'Patient/p1', count: 50, offset: 0 })).toEqual(['o1', 's1']);
    expect(
      await ids({ study: 'belimumab-iim', status: ['candidate'], patient: 'Patient/p1', count: 50, offset: 0 }),
    ).toEqual(['s1']);
    expect(await ids({ study: 'no-such-study', count: 50, offset: 0 })).toEqual([]);
    expect(await ids({ status: ['eligible'], count: 50, offset: 0 })).toEqual([]);
    // An empty status list is no filter, as an absent search parameter is.
    expect(await ids({ status: [], study: 'other-study', count: 50, offset: 0 })).toEqual(['o1']);
  });

  it('filters by lastUpdatedFrom, inclusive of the instant itself', async () => {
    const store = await fresh();
    const stored = await seed(store);
    const s3 = stored.find((s) => s.id === 's3')!;
    const found = await store.searchSubjects({ lastUpdatedFrom: s3.lastUpdated, count: 50, offset: 0 });
    expect(found.items.map((s) => s.id)).toEqual(['o1', 's4', 's3']);
    const future = await store.searchSubjects({ lastUpdatedFrom: '2999-01-01T00:00:00Z', count: 50, offset: 0 });
    expect(future).toEqual({ total: 0, items: [] });
  });

  it('pages with count and offset while total stays the whole match', async () => {
    const store = await fresh();
    await seed(store);
    const pages: string[][] = [];
    for (let offset = 0; offset < 6; offset += 2) {
      const page = await store.searchSubjects({ count: 2, offset });
      expect(page.total).toBe(5);
      pages.push(page.items.map((s) => s.id));
    }
    expect(pages).toEqual([['o1', 's4'], ['s3', 's2'], ['s1']]);
    expect(await store.searchSubjects({ count: 2, offset: 40 })).toEqual({ total: 5, items: [] });
    expect(await store.searchSubjects({ study: 'other-study', count: 0, offset: 0 })).toEqual({ total: 1, items: [] });
  });

  it('rejects negative or fractional paging, and a lastUpdatedFrom that is not an instant', async () => {
    const store = await fresh();
    await expect(store.searchSubjects({ count: -1, offset: 0 })).rejects.toThrow(RangeError);
    await expect(store.searchSubjects({ count: 1.5, offset: 0 })).rejects.toThrow(RangeError);
    await expect(store.searchSubjects({ count: 10, offset: -3 })).rejects.toThrow(RangeError);
    await expect(store.searchSubjects({ lastUpdatedFrom: 'yesterday-ish', count: 10, offset: 0 })).rejects.toThrow();
  });

  it('treats filter values as data, not SQL', async () => {
    const store = await fresh();
    await seed(store);
    const found = await store.searchSubjects({ study: "x' OR '1'='1", count: 50, offset: 0 });
    expect(found).toEqual({ total: 0, items: [] });
    await store.upsertSubject(subject("it's; DROP TABLE research_subject; --"));
    expect(await store.getSubject("it's; DROP TABLE research_subject; --")).toBeDefined();
    expect((await store.searchSubjects({ count: 50, offset: 0 })).total).toBe(6);
  });

  it('migrates idempotently, keeping the data', async () => {
    const store = await fresh();
    await store.upsertSubject(subject('rs-1'));
    await store.migrate();
    await store.migrate();
    expect(await store.getSubject('rs-1')).toBeDefined();
  });

  it('pings while open, and fails ping and every call once closed', async () => {
    const store = await open();
    await expect(store.ping()).resolves.toBeUndefined();
    await store.close();
    await expect(store.ping()).rejects.toThrow(/closed/);
    await expect(store.getSubject('x')).rejects.toThrow(/closed/);
    await expect(store.upsertSubject(subject('x'))).rejects.toThrow(/closed/);
    await expect(store.close()).resolves.toBeUndefined();
  });
}
