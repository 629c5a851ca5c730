// Per-study access on the FHIR API (issue 16 §5): API keys and bearer JWTs whose SMART v2
// granular scopes (`?study=`) limit them to some studies. $screen needs write on the study;
// searches return only the caller's studies, with total and paging after the filter; a read of
// another study's result is 403 while an unknown id stays 404; GET /ResearchStudy lists only the
// studies the caller's ResearchStudy scopes cover.

import { beforeAll, describe, expect, it } from 'vitest';
import { makeKey, type TestKey } from '../helpers/cds-jwt.js';
import { glp1CkdPatients } from '../helpers/two-studies.js';
import { candidateBundle, type Json } from '../http/fixtures.js';
import { outcomeIssue } from './helpers.js';
import { AS_OF, BELIMUMAB, expectForbidden, GLP1, GLP1_SCOPES, seeded, subjectsIn } from './study-seed.js';

let key: TestKey;
beforeAll(async () => {
  key = await makeKey('ES384');
});

const GLP1_SUBJECTS = ['glp1-ckd|Patient/ex-nodm-pat', 'glp1-ckd|Patient/ex-wlos-pat'];

describe('$screen with study-limited scopes', () => {
  it('screens the caller\'s study, and answers 403 for any other, existing or not, before the body is read', async () => {
    const s = await seeded(key);
    const glp1Bundle = JSON.stringify(glp1CkdPatients()[0]!.bundle);
    const jwt = await s.token(GLP1_SCOPES);
    for (const credential of [s.keys.get('glp1')!, jwt]) {
      expect((await s.post(`/ResearchStudy/${GLP1}/$screen?asOf=${AS_OF}`, credential, glp1Bundle)).statusCode).toBe(200);
      expectForbidden(await s.post(`/ResearchStudy/${BELIMUMAB}/$screen?asOf=${AS_OF}`, credential, candidateBundle()));
      // Not a 404: the caller learns no study's name by probing.
      expectForbidden(await s.post('/ResearchStudy/no-such-study/$screen', credential, '{}'));
      // A body that is not even JSON: the study check comes first.
      expectForbidden(await s.post(`/ResearchStudy/${BELIMUMAB}/$screen`, credential, 'not json'));
      // NDJSON too.
      expectForbidden(await s.post(`/ResearchStudy/${BELIMUMAB}/$screen`, credential, `${JSON.stringify(candidateBundle())}\n`, 'application/fhir+ndjson'));
    }
    // Read on the study is not write; v1 `.write` and v2 `.cu` limited the same way.
    expectForbidden(await s.post(`/ResearchStudy/${GLP1}/$screen?asOf=${AS_OF}`, s.keys.get('glp1-reader')!, glp1Bundle));
    const v1 = await s.token('system/ResearchSubject.write?study=glp1-ckd');
    expect((await s.post(`/ResearchStudy/${GLP1}/$screen?asOf=${AS_OF}`, v1, glp1Bundle)).statusCode).toBe(200);
    expectForbidden(await s.post(`/ResearchStudy/${BELIMUMAB}/$screen?asOf=${AS_OF}`, v1, candidateBundle()));
    // Nothing was stored by the refused calls: belimumab still holds the seed's three.
    const all = await s.get(`/ResearchSubject?study=${BELIMUMAB}`, s.keys.get('admin')!);
    expect(all.json().total).toBe(3);
  });

  it('answers 404 for an unknown study the caller may use, naming only the caller\'s studies', async () => {
    const s = await seeded(key);
    const ghost = await s.post('/ResearchStudy/no-such-study/$screen', s.keys.get('ghost')!, '{}');
    expect(ghost.statusCode).toBe(404);
    expect(outcomeIssue(ghost)).toMatchObject({ code: 'not-found', coding: 'PRESCREEN_UNKNOWN_STUDY' });
    expect(ghost.body).toContain('Studies screened here: none.');
    // An unlimited caller hears every study, as before.
    const admin = await s.post('/ResearchStudy/no-such-study/$screen', s.keys.get('admin')!, '{}');
    expect(admin.statusCode).toBe(404);
    expect(admin.body).toContain('belimumab-iim, glp1-ckd');
  });
});

describe('the type-level $screen with study-limited scopes', () => {
  it('screens only the caller\'s studies; a named other study is 403, an unknown one the caller names 404', async () => {
    const s = await seeded(key);
    const body = JSON.stringify(glp1CkdPatients()[0]!.bundle);
    const url = (query: string) => `/ResearchStudy/$screen?asOf=${AS_OF}${query}`;
    const studiesOf = (bundle: Json) => (bundle.entry as Json[]).map((e) => e.resource.study.reference);
    for (const credential of [s.keys.get('glp1')!, await s.token(GLP1_SCOPES)]) {
      const mine = await s.post(url(''), credential, body);
      expect(mine.statusCode, mine.body.slice(0, 300)).toBe(200);
      expect(studiesOf(mine.json())).toEqual([`ResearchStudy/${GLP1}`]);
      expect(studiesOf((await s.post(url(`&study=${GLP1}`), credential, body)).json())).toEqual([`ResearchStudy/${GLP1}`]);
      expectForbidden(await s.post(url(`&study=${BELIMUMAB}`), credential, body));
      expectForbidden(await s.post(url(`&study=${GLP1},${BELIMUMAB}`), credential, body));
      expectForbidden(await s.post(url('&study=no-such-study'), credential, body));
    }
    expectForbidden(await s.post(url(''), s.keys.get('glp1-reader')!, body));
    expectForbidden(await s.post(url(''), s.keys.get('ghost')!, body));
    const ghost = await s.post(url('&study=no-such-study'), s.keys.get('ghost')!, body);
    expect(ghost.statusCode).toBe(404);
    expect(ghost.body).toContain('Studies screened here: none.');
    const admin = await s.post(url(''), s.keys.get('admin')!, body);
    expect(studiesOf(admin.json())).toEqual([`ResearchStudy/${BELIMUMAB}`, `ResearchStudy/${GLP1}`]);
    // The audit rows name the studies screened: the glp1-limited calls, glp1-ckd only.
    const events = (await s.get('/AuditEvent?subtype=screen&_count=100&agent=glp1', s.keys.get('admin')!)).json().entry as Json[];
    const targets = new Set(events.map((e) => (e.resource.entity as Json[]).find((x) => x.type.code === '2')!.what?.reference ?? 'none'));
    expect(targets.has(`ResearchStudy/${BELIMUMAB}`)).toBe(false);
    expect(targets.has(`ResearchStudy/${GLP1}`)).toBe(true);
  });
});

describe('GET /ResearchSubject with study-limited scopes', () => {
  it('returns only the caller\'s studies, with total and paging after the filter, and 403 for a study= outside them', async () => {
    const s = await seeded(key);
    const jwt = await s.token(GLP1_SCOPES);
    for (const credential of [s.keys.get('glp1')!, s.keys.get('glp1-reader')!, jwt]) {
      const all = await s.get('/ResearchSubject', credential);
      expect(all.statusCode).toBe(200);
      expect(all.json().total).toBe(2);
      expect(subjectsIn(all.json())).toEqual(GLP1_SUBJECTS);
      const named = await s.get(`/ResearchSubject?study=${GLP1}`, credential);
      expect(subjectsIn(named.json())).toEqual(GLP1_SUBJECTS);
      expect(subjectsIn((await s.get(`/ResearchSubject?study=ResearchStudy/${GLP1}`, credential)).json())).toEqual(GLP1_SUBJECTS);
      expectForbidden(await s.get(`/ResearchSubject?study=${BELIMUMAB}`, credential));
      expectForbidden(await s.get('/ResearchSubject?study=no-such-study', credential));
      // A patient of the other study only: found nowhere the caller may look.
      const other = await s.get('/ResearchSubject?patient=Patient/dm-rtx', credential);
      expect(other.json().total).toBe(0);
      expect(other.json().entry).toBeUndefined();

      // Paging: one per page, two pages, every entry of the caller's study, the links consistent.
      const first = (await s.get('/ResearchSubject?_count=1', credential)).json() as Json;
      expect(first.total).toBe(2);
      expect(first.entry).toHaveLength(1);
      const next = (first.link as Json[]).find((l) => l.relation === 'next');
      expect(next).toBeDefined();
      const second = (await s.get(new URL(next!.url).pathname + new URL(next!.url).search, credential)).json() as Json;
      expect(second.total).toBe(2);
      expect((second.link as Json[]).some((l) => l.relation === 'next')).toBe(false);
      expect([...subjectsIn(first), ...subjectsIn(second)].sort()).toEqual(GLP1_SUBJECTS);
      const past = (await s.get('/ResearchSubject?_count=1&_offset=2', credential)).json() as Json;
      expect(past.total).toBe(2);
      expect(past.entry).toBeUndefined();
    }
  });

  it('adds up studies listed in one scope (OR) or in several; ANDed ones, and unknown studies, give none', async () => {
    const s = await seeded(key);
    for (const name of ['both-or', 'both-sum', 'admin']) {
      const all = await s.get('/ResearchSubject?_count=0', s.keys.get(name)!);
      expect(all.json().total, name).toBe(5);
    }
    const both = await s.token('system/ResearchSubject.rs?study=belimumab-iim system/ResearchSubject.rs?study=glp1-ckd');
    expect((await s.get('/ResearchSubject?_count=0', both)).json().total).toBe(5);
    for (const name of ['and', 'ghost']) {
      const none = await s.get('/ResearchSubject', s.keys.get(name)!);
      expect(none.statusCode, name).toBe(200);
      expect(none.json().total, name).toBe(0);
    }
    // An unlimited scope beside a limited one covers every study.
    const wide = await s.token('system/ResearchSubject.rs?study=glp1-ckd system/ResearchSubject.read');
    expect((await s.get('/ResearchSubject?_count=0', wide)).json().total).toBe(5);
    // v1 and v2 wildcards without a limit are unlimited; with one, limited.
    expect((await s.get('/ResearchSubject?_count=0', await s.token('system/*.read'))).json().total).toBe(5);
    expect((await s.get('/ResearchSubject?_count=0', await s.token('system/*.rs?study=glp1-ckd'))).json().total).toBe(2);
  });

  it('fails closed on a malformed granular scope: it grants nothing, so the route is 403', async () => {
    const s = await seeded(key);
    expectForbidden(await s.get('/ResearchSubject', s.keys.get('malformed')!));
    for (const scope of [
      'system/ResearchSubject.rs?study=glp1-ckd&site=x',
      'system/ResearchSubject.rs?patient=Patient/ex-wlos-pat',
      'system/ResearchSubject.rs?study=GLP1-CKD',
      'system/ResearchSubject.rs?study=glp1-ckd,',
      'system/ResearchSubject.rs?study=glp1%2Dckd',
      'system/ResearchSubject.rs?',
      'system/ResearchSubject.rs?study=__proto__',
      'system/ResearchSubject.rs?constructor=x',
      'system/ResearchSubject.rs?__proto__=x',
    ]) {
      expectForbidden(await s.get('/ResearchSubject', await s.token(scope)));
    }
    // A malformed scope beside a good one: the good one still counts, the bad one adds nothing.
    const mixed = await s.token('system/ResearchSubject.rs?study=glp1-ckd system/ResearchSubject.rs?study=belimumab-iim&x=1');
    expect(subjectsIn((await s.get('/ResearchSubject', mixed)).json())).toEqual(GLP1_SUBJECTS);
  });
});

describe('GET /ResearchSubject/{id} with study-limited scopes', () => {
  it('reads the caller\'s study, answers 403 for another study\'s result and 404 for an id that is not stored', async () => {
    const s = await seeded(key);
    const glp1Id = s.subjects.get(GLP1)!.get('Patient/ex-wlos-pat')!;
    const belimumabId = s.subjects.get(BELIMUMAB)!.get('Patient/dm-rtx')!;
    for (const credential of [s.keys.get('glp1')!, s.keys.get('glp1-reader')!, await s.token(GLP1_SCOPES)]) {
      const mine = await s.get(`/ResearchSubject/${glp1Id}`, credential);
      expect(mine.statusCode).toBe(200);
      expect(mine.json().id).toBe(glp1Id);
      const theirs = await s.get(`/ResearchSubject/${belimumabId}`, credential);
      expectForbidden(theirs);
      expect(theirs.body).not.toContain('belimumab');
      expect(theirs.body).not.toContain('dm-rtx');
      expect((await s.get(`/ResearchSubject/${'0'.repeat(40)}`, credential)).statusCode).toBe(404);
      expect((await s.get('/ResearchSubject/not*an*id', credential)).statusCode).toBe(404);
    }
    expectForbidden(await s.get(`/ResearchSubject/${glp1Id}`, s.keys.get('ghost')!));
    expect((await s.get(`/ResearchSubject/${belimumabId}`, s.keys.get('both-or')!)).statusCode).toBe(200);
    expectForbidden(await s.get(`/ResearchSubject/${glp1Id}`, s.keys.get('malformed')!));
  });
});

describe('GET /ResearchStudy with study-limited scopes', () => {
  it('lists only the studies the caller\'s ResearchStudy scopes cover; another is 403, an unknown one 403 too', async () => {
    const s = await seeded(key);
    for (const credential of [s.keys.get('glp1')!, await s.token(GLP1_SCOPES)]) {
      const list = await s.get('/ResearchStudy', credential);
      expect(list.statusCode).toBe(200);
      expect(list.json().total).toBe(1);
      expect((list.json().entry as Json[]).map((e) => e.resource.id)).toEqual([GLP1]);
      expect((await s.get(`/ResearchStudy/${GLP1}`, credential)).statusCode).toBe(200);
      expectForbidden(await s.get(`/ResearchStudy/${BELIMUMAB}`, credential));
      expectForbidden(await s.get('/ResearchStudy/no-such-study', credential));
      // The operation's definition names no study.
      expect((await s.get('/OperationDefinition/ResearchStudy-screen', credential)).statusCode).toBe(200);
    }
    const admin = await s.get('/ResearchStudy', s.keys.get('admin')!);
    expect((admin.json().entry as Json[]).map((e) => e.resource.id).sort()).toEqual([BELIMUMAB, GLP1]);
    // A ResearchSubject scope is not a ResearchStudy scope.
    expectForbidden(await s.get('/ResearchStudy', s.keys.get('glp1-reader')!));
  });
});
