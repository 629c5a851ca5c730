// An app with authentication on (API keys and bearer JWTs against a static key) on real run
// storage, holding results of two studies: belimumab-iim (three patients) and glp1-ckd (two),
// screened by an unlimited key. Callers limited to some studies are the keys and tokens below.

import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import { expect, onTestFinished } from 'vitest';
import type { RunStorage } from '../../src/storage/open-run-storage.js';
import { build } from '../helpers/build-app.js';
import type { TestKey } from '../helpers/cds-jwt.js';
import { testRunStorage } from '../helpers/test-store.js';
import { glp1CkdPatients } from '../helpers/two-studies.js';
import type { Json } from '../http/fixtures.js';
import { accessToken, AUDIENCE, bearer, ISSUER, newApiKey, outcomeIssue } from './helpers.js';

const EXAMPLES = join(import.meta.dirname, '..', '..', 'examples');
export const AS_OF = '2026-10-26';
export const BELIMUMAB = 'belimumab-iim';
export const GLP1 = 'glp1-ckd';

/** Unlimited: screens the seed, reads everything, the admin. */
export const ADMIN_SCOPES = 'system/ResearchSubject.read system/ResearchSubject.write system/ResearchStudy.read system/AuditEvent.read';
/** The README's example: everything, for glp1-ckd only (v2). */
export const GLP1_SCOPES =
  'system/ResearchSubject.rs?study=glp1-ckd system/ResearchSubject.cud?study=glp1-ckd system/ResearchStudy.rs?study=glp1-ckd system/AuditEvent.rs?study=glp1-ckd';

/** The keys the app is configured with, by name: scopes. */
export const KEY_SCOPES = new Map<string, string>([
  ['admin', ADMIN_SCOPES],
  ['glp1', GLP1_SCOPES],
  // v1 syntax with a limit, read only.
  ['glp1-reader', 'system/ResearchSubject.read?study=ResearchStudy/glp1-ckd'],
  // Two studies in one scope (OR), and two scopes adding up.
  ['both-or', 'system/ResearchSubject.rs?study=glp1-ckd,belimumab-iim'],
  ['both-sum', 'system/ResearchSubject.rs?study=glp1-ckd system/ResearchSubject.rs?study=belimumab-iim'],
  // A study that does not exist: reaches the routes, sees nothing.
  ['ghost', 'system/ResearchSubject.rs?study=no-such-study system/ResearchSubject.cu?study=no-such-study'],
  // Two studies ANDed, as a FHIR search would: no subject is in both.
  ['and', 'system/ResearchSubject.rs?study=glp1-ckd&study=belimumab-iim'],
  // Fail closed: an unknown parameter, a modifier, an empty value, a value no study id can be.
  ['malformed', 'system/ResearchSubject.cruds?study=glp1-ckd&site=x system/ResearchSubject.cruds?study:not=glp1-ckd system/ResearchSubject.cruds?study= system/ResearchSubject.cruds?study=__proto__ system/*.cruds?constructor=x'],
]);

export interface Seeded {
  app: FastifyInstance;
  storage: RunStorage;
  /** The raw key of each KEY_SCOPES name. */
  keys: Map<string, string>;
  /** A bearer JWT with these scopes, signed by the configured key. */
  token(scope: string): Promise<string>;
  /** ResearchSubject ids: patient reference → id, per study. */
  subjects: Map<string, Map<string, string>>;
  get(url: string, credential: string): Promise<LightMyRequestResponse>;
  post(url: string, credential: string, body: unknown, contentType?: string): Promise<LightMyRequestResponse>;
}

function seedBundles(): { study: string; body: string }[] {
  return [
    ...['candidate-dm.json', 'potential-candidate-pm.json', 'ineligible-rituximab.json'].map((name) => ({
      study: BELIMUMAB,
      body: readFileSync(join(EXAMPLES, name), 'utf8'),
    })),
    ...glp1CkdPatients().map((p) => ({ study: GLP1, body: JSON.stringify(p.bundle) })),
  ];
}

export async function seeded(key: TestKey): Promise<Seeded> {
  const storage = await testRunStorage();
  onTestFinished(() => storage.close());
  const keys = new Map<string, string>();
  const entries = [...KEY_SCOPES].map(([name, scopes]) => {
    const made = newApiKey();
    keys.set(name, made.key);
    return { name, sha256: made.sha256, scopes };
  });
  const { app } = await build({
    store: storage.store,
    env: {
      AUTH_API_KEYS: JSON.stringify(entries),
      AUTH_ISSUER: ISSUER,
      AUTH_AUDIENCE: AUDIENCE,
      AUTH_PUBLIC_KEY: key.publicPem,
      RATE_LIMIT_AUTH_FAILURES: '1000',
    },
  });
  const get = (url: string, credential: string) => app.inject({ method: 'GET', url, headers: { ...bearer(credential), accept: 'application/fhir+json' } });
  const post = (url: string, credential: string, body: unknown, contentType = 'application/fhir+json') =>
    app.inject({
      method: 'POST',
      url,
      headers: { ...bearer(credential), 'content-type': contentType },
      payload: typeof body === 'string' ? body : JSON.stringify(body),
    });
  const subjects = new Map<string, Map<string, string>>([[BELIMUMAB, new Map()], [GLP1, new Map()]]);
  for (const { study, body } of seedBundles()) {
    const response = await post(`/ResearchStudy/${study}/$screen?asOf=${AS_OF}`, keys.get('admin')!, body);
    expect(response.statusCode).toBe(200);
    const subject = response.json() as Json;
    subjects.get(study)!.set(subject.individual.reference, subject.id);
  }
  return { app, storage, keys, token: (scope) => accessToken(key, { scope }), subjects, get, post };
}

/** 403, an OperationOutcome with code forbidden that says only "Not allowed." */
export function expectForbidden(response: LightMyRequestResponse): void {
  expect(response.statusCode, response.body.slice(0, 300)).toBe(403);
  expect(outcomeIssue(response)).toEqual({ code: 'forbidden', text: 'Not allowed.', coding: 'PRESCREEN_FORBIDDEN' });
}

/** The ResearchSubjects of a searchset, as `study|patient`, sorted. */
export function subjectsIn(bundle: Json): string[] {
  return ((bundle.entry ?? []) as Json[]).map((e) => `${e.resource.study.reference.replace('ResearchStudy/', '')}|${e.resource.individual.reference}`).sort();
}
