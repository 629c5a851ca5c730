// Graceful shutdown (issue 7 §4): the real server (tsx src/server.ts) on a free port with its
// own PGlite folder gets a burst of $screen requests, one connection each, and SIGTERM while
// every one of them is in flight (headers read, body not yet complete). Each must finish with
// a whole 200; none may be cut off; a request after the signal is refused cleanly; the process
// exits 0; and the store, reopened, holds exactly the results that were answered.

import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { request, type ClientRequest } from 'node:http';
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

interface Call {
  done: Promise<Result>;
  /** Sends the last byte of the body, completing the request. */
  finish: () => void;
}

/**
 * Sends the headers and all of the body but its last byte, so the server has taken the
 * request (its headers are parsed) yet cannot answer it until `finish` is called.
 */
function post(port: number, body: string): Call {
  const bytes = Buffer.from(body);
  let req!: ClientRequest;
  const done = new Promise<Result>((resolve) => {
    // agent: false → one connection per request, so closing cannot hide behind keep-alive.
    req = request(
      { host: '127.0.0.1', port, method: 'POST', path: SCREEN_URL, agent: false, headers: { 'content-type': 'application/fhir+json', 'content-length': bytes.length } },
      (res) => {
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => (text += chunk));
        res.on('end', () => resolve({ status: res.statusCode!, body: text, at: Date.now() }));
        res.on('error', (error) => resolve({ error: (error as NodeJS.ErrnoException).code ?? error.message, at: Date.now() }));
      },
    );
    req.on('error', (error) => resolve({ error: (error as NodeJS.ErrnoException).code ?? error.message, at: Date.now() }));
    req.write(bytes.subarray(0, bytes.length - 1));
  });
  return { done, finish: () => req.end(bytes.subarray(bytes.length - 1)) };
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
      env: { PATH: process.env['PATH'] ?? '', PORT: '0', HOST: '127.0.0.1', DATA_DIR: dataDir, LOG_LEVEL: 'debug', RATE_LIMIT_MAX: '0', SHUTDOWN_TIMEOUT_MS: '20000' },
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

    const waitFor = (count: number, text: string) =>
      new Promise<void>((resolve) => {
        const check = () => {
          if (stdout.split(text).length - 1 >= count) {
            child.stdout.off('data', check);
            resolve();
          }
        };
        child.stdout.on('data', check);
        check();
      });

    // Every request reaches the server (its headers are parsed) but none can finish: a
    // connection the server has not yet read from is idle to Node and is closed on shutdown,
    // which is not what this test is about.
    const calls = Array.from({ length: BURST }, (_, i) => post(port, bundleFor(i)));
    await waitFor(BURST, '"msg":"incoming request"');
    const signalledAt = Date.now();
    child.kill('SIGTERM');
    await waitFor(1, '"msg":"shutting down"');
    const late = post(port, bundleFor(999));
    late.finish();
    for (const call of calls) call.finish();

    const results = await Promise.all(calls.map((c) => c.done));
    const lateResult = await late.done;
    const code = await exited;

    expect(code).toBe(0);
    const cutOff = results.filter((r) => r.status !== 200);
    expect(cutOff).toEqual([]);
    const ok = results.filter((r) => r.status === 200);
    // Each was in flight when the signal came (its body incomplete), and each finished.
    expect(ok.length).toBe(BURST);
    for (const r of ok) {
      expect(JSON.parse(r.body!)).toMatchObject({ resourceType: 'ResearchSubject' });
      expect(r.at).toBeGreaterThanOrEqual(signalledAt);
    }
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
