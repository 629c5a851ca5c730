// --export against an in-test Bulk Data server and SMART token endpoint on 127.0.0.1:0: the
// kick-off (429 first), polling (202, a transient 503), the manifest with an error file (so the
// run is partial), downloads with the bearer token (one 401 forces one new token), DELETE of the
// status URL, and a private_key_jwt assertion the server verifies with jose.

import { createReadStream, readdirSync, writeFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { exportJWK, generateKeyPair, jwtVerify, decodeProtectedHeader } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../../src/batch/cli.js';
import { retryAfterMs } from '../../src/batch/bulk-export.js';
import { entryPrefilterOf } from '../../src/batch/find-patients.js';
import { MAPPED_RESOURCE_TYPES } from '../../src/mapping/entry-prefilter.js';
import { openRunStorage } from '../../src/storage/open-run-storage.js';
import { MAPPINGS_DIR, tempDir, writeTestCohort } from './helpers.js';

interface Seen {
  tokenRequests: { scope: string | null; jti: unknown; kid: unknown; typ: unknown }[];
  kickoffs: { status: number; type: string | null; since: string | null; prefer: string | undefined; auth: string | undefined }[];
  polls: number;
  downloads: { name: string; auth: string | undefined }[];
  deletes: number;
}

function body(req: IncomingMessage): Promise<string> {
  return new Promise((resolve) => {
    let text = '';
    req.on('data', (d: Buffer) => (text += d.toString()));
    req.on('end', () => resolve(text));
  });
}

describe('fhir-prescreen find --export', () => {
  const tmp = tempDir('find-export');
  const cohort = join(tmp.dir, 'cohort');
  const seen: Seen = { tokenRequests: [], kickoffs: [], polls: 0, downloads: [], deletes: 0 };
  let server: Server;
  let base = '';
  const TRANSACTION_TIME = '2026-10-26T02:00:00.000Z';
  /** What the next manifest lists: the first export has an error file; later ones may be deltas. */
  const next: { transactionTime: string; errorFile: boolean; files?: Map<string, string>; deleted?: string } = {
    transactionTime: TRANSACTION_TIME,
    errorFile: true,
  };

  beforeAll(async () => {
    writeTestCohort(cohort, 150, 'export-test', 0.1);
    const { publicKey, privateKey } = await generateKeyPair('ES384', { extractable: true });
    writeFileSync(join(tmp.dir, 'key.jwk'), JSON.stringify({ ...(await exportJWK(privateKey)), kid: 'nightly-1', alg: 'ES384' }));
    let issued = 0;
    let refusedOnce = false;
    server = createServer((req, res) => {
      void (async () => {
        const url = new URL(req.url!, base);
        const auth = req.headers.authorization;
        const validToken = auth !== undefined && /^Bearer tok-\d+$/.test(auth);
        if (url.pathname === '/fhir/.well-known/smart-configuration') {
          res.setHeader('content-type', 'application/json');
          res.end(JSON.stringify({
            token_endpoint: `${base}/auth/token`,
            token_endpoint_auth_methods_supported: ['private_key_jwt'],
            token_endpoint_auth_signing_alg_values_supported: ['ES384', 'RS384'],
            capabilities: ['client-confidential-asymmetric', 'permission-v2'],
          }));
        } else if (url.pathname === '/auth/token' && req.method === 'POST') {
          const form = new URLSearchParams(await body(req));
          const assertion = form.get('client_assertion') ?? '';
          const header = decodeProtectedHeader(assertion);
          const { payload } = await jwtVerify(assertion, publicKey, { issuer: 'nightly', subject: 'nightly', audience: `${base}/auth/token` });
          expect(form.get('grant_type')).toBe('client_credentials');
          expect(form.get('client_assertion_type')).toBe('urn:ietf:params:oauth:client-assertion-type:jwt-bearer');
          expect(payload.exp! - payload.iat!).toBeLessThanOrEqual(300);
          seen.tokenRequests.push({ scope: form.get('scope'), jti: payload.jti, kid: header.kid, typ: header.typ });
          res.setHeader('content-type', 'application/json');
          res.end(JSON.stringify({ access_token: `tok-${++issued}`, token_type: 'bearer', expires_in: 300, scope: form.get('scope') }));
        } else if (!validToken) {
          res.statusCode = 401;
          res.end();
        } else if (url.pathname === '/fhir/Group/nightly/$export') {
          const status = seen.kickoffs.length === 0 ? 429 : 202;
          seen.kickoffs.push({ status, type: url.searchParams.get('_type'), since: url.searchParams.get('_since'), prefer: req.headers.prefer as string | undefined, auth });
          res.statusCode = status;
          if (status === 429) res.setHeader('retry-after', '0');
          else res.setHeader('content-location', `${base}/bulk/status/1`);
          res.end();
        } else if (url.pathname === '/bulk/status/1' && req.method === 'GET') {
          seen.polls += 1;
          if (seen.polls === 1) {
            res.statusCode = 202;
            res.setHeader('x-progress', 'exporting');
            res.setHeader('retry-after', '0');
            return res.end();
          }
          if (seen.polls === 2) {
            res.statusCode = 503;
            res.setHeader('retry-after', '0');
            return res.end();
          }
          const since = seen.kickoffs.at(-1)!.since;
          const types = new Set(url.searchParams.get('_type')?.split(',') ?? MAPPED_RESOURCE_TYPES);
          const output =
            since !== null && next.files
              ? [...next.files.keys()].map((n) => ({ type: n.replace('.ndjson', ''), url: `${base}/bulk/delta/${n}` }))
              : readdirSync(cohort)
                  .filter((n) => n.endsWith('.ndjson') && n !== 'scenarios.ndjson' && types.has(n.replace('.ndjson', '')))
                  .map((n) => ({ type: n.replace('.ndjson', ''), url: `${base}/bulk/files/${n}` }));
          res.setHeader('content-type', 'application/json');
          res.end(JSON.stringify({
            transactionTime: next.transactionTime,
            request: `${base}/fhir/Group/nightly/$export`,
            requiresAccessToken: true,
            output,
            error: next.errorFile ? [{ type: 'OperationOutcome', url: `${base}/bulk/files/errors.ndjson` }] : [],
            ...(since !== null && next.deleted !== undefined ? { deleted: [{ type: 'Bundle', url: `${base}/bulk/delta/deleted` }] } : {}),
            extension: { unknownField: true },
          }));
        } else if (url.pathname.startsWith('/bulk/delta/')) {
          const name = url.pathname.slice('/bulk/delta/'.length);
          res.setHeader('content-type', 'application/fhir+ndjson');
          res.end(name === 'deleted' ? next.deleted : next.files?.get(name));
        } else if (url.pathname.startsWith('/bulk/files/')) {
          const name = url.pathname.slice('/bulk/files/'.length);
          // The first download finds the token expired: the client must get a new one, once.
          if (!refusedOnce) {
            refusedOnce = true;
            res.statusCode = 401;
            return res.end();
          }
          seen.downloads.push({ name, auth });
          res.setHeader('content-type', 'application/fhir+ndjson');
          createReadStream(join(cohort, name)).pipe(res);
        } else if (url.pathname === '/bulk/status/1' && req.method === 'DELETE') {
          seen.deletes += 1;
          res.statusCode = 202;
          res.end();
        } else {
          res.statusCode = 404;
          res.end();
        }
      })().catch(() => {
        res.statusCode = 400;
        res.end();
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });

  afterAll(async () => {
    await new Promise((resolve) => server.close(resolve));
    tmp.remove();
  });

  it('exports, authenticates, screens and records a partial run with the transactionTime', async () => {
    let stdout = '';
    let stderr = '';
    const data = join(tmp.dir, 'data');
    const code = await runCli(
      ['find', '--study', 'belimumab-iim', '--export', `${base}/fhir/Group/nightly/$export`, '--as-of', '2026-10-26',
        '--out', join(tmp.dir, 'out'), '--client-id', 'nightly', '--private-key', join(tmp.dir, 'key.jwk'), '--workers', '1'],
      {
        stdout: { write: (s: string) => ((stdout += s), true) } as unknown as NodeJS.WritableStream,
        stderr: { write: (s: string) => ((stderr += s), true) } as unknown as NodeJS.WritableStream,
        env: { DATA_DIR: data, LOG_LEVEL: 'silent' },
        now: () => new Date(),
      },
    );
    expect(stderr).toBe('');
    expect(code).toBe(0);
    const summary = JSON.parse(stdout) as { runId: string; status: string; population: number; stored: number };
    expect(summary).toMatchObject({ status: 'partial', population: 150 });
    expect(summary.stored).toBeGreaterThan(0);

    // Kick-off: async, the mapped types, the token; retried after the 429.
    expect(seen.kickoffs.map((k) => k.status)).toEqual([429, 202]);
    expect(seen.kickoffs[1]).toMatchObject({ prefer: 'respond-async', type: MAPPED_RESOURCE_TYPES.join(','), auth: 'Bearer tok-1' });
    // A full export every night: a _since delta cannot be screened alone (see export-source.ts).
    expect(seen.kickoffs[1]!.since).toBeNull();
    expect(seen.polls).toBe(3);
    // One token, cached, until the 401; then exactly one more. Scopes in v2 syntax.
    expect(seen.tokenRequests).toHaveLength(2);
    expect(seen.tokenRequests[0]).toMatchObject({ kid: 'nightly-1', typ: 'JWT', scope: MAPPED_RESOURCE_TYPES.map((t) => `system/${t}.rs`).join(' ') });
    expect(seen.tokenRequests[0]!.jti).not.toEqual(seen.tokenRequests[1]!.jti);
    expect(new Set(seen.downloads.map((d) => d.auth))).toEqual(new Set(['Bearer tok-2']));
    expect(seen.deletes).toBe(1);

    const storage = await openRunStorage({ dataDir: data });
    try {
      const run = await storage.runs.getRun(summary.runId);
      expect(run).toMatchObject({ status: 'partial', transactionTime: TRANSACTION_TIME });
      expect(run!.source).toBe(`export:${base}/fhir/Group/nightly/$export`);
      // A partial run (an error file) may have missed data: it is never the base of a _since delta.
      expect(await storage.runs.lastTransactionTime('belimumab-iim')).toBeUndefined();
    } finally {
      await storage.close();
    }
  }, 60_000);

  it('sends _since after a complete run, merges the delta into the stored records and re-screens the touched patients', async () => {
    const data = join(tmp.dir, 'data');
    const io = (): { io: Parameters<typeof runCli>[1]; out: () => string } => {
      let stdout = '';
      return {
        io: {
          stdout: { write: (s: string) => ((stdout += s), true) } as unknown as NodeJS.WritableStream,
          stderr: { write: () => true } as unknown as NodeJS.WritableStream,
          env: { DATA_DIR: data, LOG_LEVEL: 'silent' },
          now: () => new Date(),
        },
        out: () => stdout,
      };
    };
    const args = ['find', '--study', 'belimumab-iim', '--export', `${base}/fhir/Group/nightly/$export`, '--out', join(tmp.dir, 'out-delta'),
      '--client-id', 'nightly', '--private-key', join(tmp.dir, 'key.jwk'), '--workers', '1'];
    // A complete full run (the previous one was partial, so no _since yet).
    next.errorFile = false;
    next.transactionTime = '2026-10-27T02:00:00.000Z';
    let cli = io();
    expect(await runCli([...args, '--as-of', '2026-10-27'], cli.io)).toBe(0);
    expect(seen.kickoffs.at(-1)!.since).toBeNull();
    expect(JSON.parse(cli.out())).toMatchObject({ status: 'complete' });

    // The delta: patient A loses every Condition (deleted[]); patient B's Patient changes; a
    // ruled-out patient's Observation is ignored.
    let storage = await openRunStorage({ dataDir: data });
    const subjects = await storage.store.searchSubjects({ study: 'belimumab-iim', count: 1000, offset: 0 });
    const listed = subjects.items.filter((s) => s.status !== 'ineligible').map((s) => s.patientRef.slice('Patient/'.length));
    const [a, b] = listed as [string, string];
    const records = await storage.runs.patientResources('belimumab-iim', [a, b]);
    await storage.close();
    const conditionsOfA = records.get(a)!.map((l) => JSON.parse(l) as { resourceType: string; id: string }).filter((r) => r.resourceType === 'Condition');
    expect(conditionsOfA.length).toBeGreaterThan(0);
    const patientB = records.get(b)!.map((l) => JSON.parse(l) as Record<string, unknown>).find((r) => r['resourceType'] === 'Patient')!;
    const changedB = JSON.stringify({ ...patientB, meta: { versionId: '2' } });
    next.transactionTime = '2026-10-28T02:00:00.000Z';
    next.files = new Map([
      ['Patient.ndjson', `${changedB}\n`],
      ['Observation.ndjson', `${JSON.stringify({ resourceType: 'Observation', id: 'delta-obs', status: 'final', code: { text: 'x' }, subject: { reference: 'Patient/not-a-candidate' } })}\n`],
    ]);
    next.deleted = `${JSON.stringify({
      resourceType: 'Bundle',
      type: 'transaction',
      entry: conditionsOfA.map((c) => ({ request: { method: 'DELETE', url: `Condition/${c.id}` } })),
    })}\n`;
    cli = io();
    expect(await runCli([...args, '--as-of', '2026-10-28'], cli.io)).toBe(0);
    expect(seen.kickoffs.at(-1)!.since).toBe('2026-10-27T02:00:00.000Z');
    const summary = JSON.parse(cli.out()) as { runId: string; status: string; delta: boolean; touched: number; screened: number };
    expect(summary).toMatchObject({ status: 'complete', delta: true, touched: 2 });
    // Every stored candidate is screened again (asOf moved), from the merged records.
    expect(summary.screened).toBe(subjects.items.length);

    storage = await openRunStorage({ dataDir: data });
    try {
      const rows = new Map((await storage.runs.runPatients(summary.runId)).map((r) => [r.patientRef, r]));
      expect(rows.get(`Patient/${a}`)).toMatchObject({ status: 'ineligible' });
      expect(rows.get(`Patient/${a}`)!.failing).toContain('inc-diagnosis');
      expect(rows.get(`Patient/${b}`)!.status).not.toBe('ineligible');
      const merged = await storage.runs.patientResources('belimumab-iim', [a, b, 'not-a-candidate']);
      expect(merged.get(a)!.some((l) => l.includes('"resourceType":"Condition"'))).toBe(false);
      expect(merged.get(b)).toContain(changedB);
      expect(merged.get('not-a-candidate')).toEqual([]);
      expect(await storage.runs.lastTransactionTime('belimumab-iim')).toBe('2026-10-28T02:00:00.000Z');
    } finally {
      await storage.close();
    }

    // A delta with a new diagnosis for a patient whose history is not stored: a full export follows.
    const prefilter = await entryPrefilterOf(MAPPINGS_DIR, 'belimumab-iim');
    const diagnosis = records.get(b)!.map((l) => JSON.parse(l) as Record<string, unknown>).find((r) => r['resourceType'] === 'Condition' && prefilter.matches(r))!;
    next.transactionTime = '2026-10-29T02:00:00.000Z';
    next.files = new Map([['Condition.ndjson', `${JSON.stringify({ ...diagnosis, id: 'new-dx', subject: { reference: 'Patient/someone-new' } })}\n`]]);
    next.deleted = undefined;
    const before = seen.kickoffs.length;
    cli = io();
    expect(await runCli([...args, '--as-of', '2026-10-29'], cli.io)).toBe(0);
    expect(seen.kickoffs.slice(before).map((k) => k.since)).toEqual(['2026-10-28T02:00:00.000Z', null]);
    expect(JSON.parse(cli.out())).not.toHaveProperty('delta');
  }, 90_000);

  it('reads Retry-After as seconds or as an HTTP date', () => {
    expect(retryAfterMs('7')).toBe(7000);
    expect(retryAfterMs(new Date(Date.UTC(2030, 0, 1, 0, 0, 10)).toUTCString(), Date.UTC(2030, 0, 1))).toBe(10_000);
    expect(retryAfterMs(null)).toBeUndefined();
    expect(retryAfterMs('soon')).toBeUndefined();
  });
});
