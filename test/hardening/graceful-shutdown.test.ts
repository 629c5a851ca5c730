// Graceful shutdown (issue 7 §4): the real server (tsx src/server.ts) on a free port with its
// own PGlite folder gets a burst of $screen requests, one connection each, and SIGTERM while
// they are in flight. Every request that reached it must finish with a whole 200 (or a clean
// 503 once closing); none may be cut off; the process exits 0; and the store, reopened,
// holds exactly the results that were answered 200.

import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { projectRoot } from '../../src/config.js';
import { openStore } from '../../src/storage/open-store.js';
import { candidateBundle, SCREEN_URL } from '../http/fixtures.js';

const BURST = 30;
const dataDir = mkdtempSync(join(tmpdir(), 'prescreen-shutdown-'));
afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

interface Result {
  status?: number;
  body?: string;
  error?: string;
  at: number;
}

function post(port: number, body: string): { done: Promise<Result>; sent: Promise<void> } {
  let markSent!: () => void;
  const sent = new Promise<void>((resolve) => (markSent = resolve));
  const done = new Promise<Result>((resolve) => {
    // agent: false → one connection per request, so closing cannot hide behind keep-alive.
    const req = request(
      { host: '127.0.0.1', port, method: 'POST', path: SCREEN_URL, agent: false, headers: { 'content-type': 'application/fhir+json', 'content-length': Buffer.byteLength(body) } },
      (res) => {
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => (text += chunk));
        res.on('end', () => resolve({ status: res.statusCode!, body: text, at: Date.now() }));
        res.on('error', (error) => resolve({ error: (error as NodeJS.ErrnoException).code ?? error.message, at: Date.now() }));
      },
    );
    req.on('error', (error) => resolve({ error: (error as NodeJS.ErrnoException).code ?? error.message, at: Date.now() }));
    req.end(body, markSent);
  });
  return { done, sent };
}

/** The candidate bundle for another patient id (every reference follows). */
function bundleFor(i: number): string {
  const bundle = candidateBundle();
  const id = bundle['entry'].find((e: { resource: { resourceType: string } }) => e.resource.resourceType === 'Patient').resource.id as string;
  return JSON.stringify(bundle).split(id).join(`${id}-${i}`);
}

describe('graceful shutdown', () => {
  it('finishes every in-flight request on SIGTERM, then closes the store and exits 0', async () => {
    const root = projectRoot();
    const child = spawn(process.execPath, ['--import', 'tsx', join(root, 'src', 'server.ts')], {
      cwd: root,
      env: { PATH: process.env['PATH'] ?? '', PORT: '0', HOST: '127.0.0.1', DATA_DIR: dataDir, LOG_LEVEL: 'info', RATE_LIMIT_MAX: '0', SHUTDOWN_TIMEOUT_MS: '20000' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    const exited = new Promise<number | null>((resolve) => child.on('exit', resolve));
    const port = await new Promise<number>((resolve, reject) => {
      child.stdout.on('data', (chunk: Buffer) => {
        stdout += chunk.toString();
        const match = /listening at http:\/\/127\.0\.0\.1:(\d+)/.exec(stdout);
        if (match) resolve(Number(match[1]));
      });
      child.on('exit', (code) => reject(new Error(`server exited early (${code})`)));
    });

    const calls = Array.from({ length: BURST }, (_, i) => post(port, bundleFor(i)));
    await Promise.all(calls.map((c) => c.sent));
    // One answer means the server is working through the burst; a moment more and every
    // connection has been accepted.
    await Promise.race(calls.map((c) => c.done));
    await new Promise((resolve) => setTimeout(resolve, 100));
    const signalledAt = Date.now();
    child.kill('SIGTERM');
    const late = post(port, bundleFor(999));

    const results = await Promise.all(calls.map((c) => c.done));
    const lateResult = await late.done;
    const code = await exited;

    expect(code).toBe(0);
    const cutOff = results.filter((r) => r.error !== undefined || (r.status !== 200 && r.status !== 503));
    expect(cutOff).toEqual([]);
    const ok = results.filter((r) => r.status === 200);
    for (const r of ok) expect(JSON.parse(r.body!)).toMatchObject({ resourceType: 'ResearchSubject' });
    // Requests were still in flight when the signal came, and they finished.
    expect(ok.filter((r) => r.at >= signalledAt).length).toBeGreaterThan(0);
    // A request after SIGTERM is refused cleanly: no connection, or 503.
    expect(lateResult.error === 'ECONNREFUSED' || lateResult.status === 503 || lateResult.error === 'ECONNRESET').toBe(true);
    expect(stdout).toContain('shut down');

    const store = await openStore({ dataDir });
    try {
      const stored = await store.searchSubjects({ count: 100, offset: 0 });
      const answered = new Set(ok.map((r) => (JSON.parse(r.body!) as { id: string }).id));
      expect(new Set(stored.items.map((s) => s.id))).toEqual(answered);
    } finally {
      await store.close();
    }
  }, 120_000);
});
