// Two real processes on one embedded database (issue 14 §5): the service (tsx src/server.ts)
// holds DATA_DIR; the nightly finder and a second service started on the same folder refuse at
// once with one line naming the holder and PostgreSQL, and touch nothing. The holder, killed
// with SIGKILL, leaves a lock the next start takes over, and what it stored is still there.

import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { projectRoot } from '../../src/config.js';
import { tempDir, writeTestCohort } from '../batch/helpers.js';
import { candidateBundle, SCREEN_URL } from '../http/fixtures.js';

const root = projectRoot();
const tmp = tempDir('prescreen-lock-processes');
afterAll(() => tmp.remove());
const dataDir = join(tmp.dir, 'data');
const env = { PATH: process.env['PATH'] ?? '', DATA_DIR: dataDir, LOG_LEVEL: 'info' };

interface Run {
  child: ChildProcess;
  stdout: () => string;
  stderr: () => string;
  exited: Promise<number | null>;
}

function run(script: string, args: string[], extraEnv: Record<string, string> = {}): Run {
  const child = spawn(process.execPath, ['--import', 'tsx', join(root, script), ...args], {
    cwd: root,
    env: { ...env, ...extraEnv },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  let err = '';
  child.stdout!.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr!.on('data', (d: Buffer) => (err += d.toString()));
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  return { child, stdout: () => out, stderr: () => err, exited };
}

function startServer(): { server: Run; port: Promise<number> } {
  const server = run('src/server.ts', [], { PORT: '0', HOST: '127.0.0.1', RATE_LIMIT_MAX: '0' });
  const port = new Promise<number>((resolve, reject) => {
    server.child.stdout!.on('data', () => {
      const match = /listening at http:\/\/127\.0\.0\.1:(\d+)/.exec(server.stdout());
      if (match) resolve(Number(match[1]));
    });
    void server.exited.then((code) => reject(new Error(`server exited (${code}): ${server.stderr()}`)));
  });
  return { server, port };
}

function expectRefusal(refused: Run, code: number | null, holderPid: number): void {
  expect(code).toBe(1);
  const lines = refused.stderr().trimEnd().split('\n');
  expect(lines).toHaveLength(1);
  expect(lines[0]).toContain(`DATA_DIR ${dataDir} is in use by the fhir-prescreen service (pid ${holderPid}`);
  expect(lines[0]).toContain('DATABASE_URL');
  expect(refused.stdout()).toBe('');
}

describe('two processes on one embedded database', () => {
  it('refuses the second at once, keeps the data, and survives a SIGKILLed holder', async () => {
    const first = startServer();
    const port = await first.port;
    const screened = await fetch(`http://127.0.0.1:${port}${SCREEN_URL}`, {
      method: 'POST',
      headers: { 'content-type': 'application/fhir+json' },
      body: JSON.stringify(candidateBundle()),
    });
    expect(screened.status).toBe(200);
    const stored = (await screened.json()) as { id: string };

    // The nightly finder on the same folder, with real input: refused before it opens anything.
    const input = join(tmp.dir, 'export');
    writeTestCohort(input, 5, 'lock-processes', 0.5);
    const finder = run('scripts/find.ts', ['--study', 'belimumab-iim', '--input', input, '--as-of', '2026-10-26', '--out', join(tmp.dir, 'out')]);
    expectRefusal(finder, await finder.exited, first.server.child.pid!);

    // A second service likewise.
    const second = run('src/server.ts', [], { PORT: '0', HOST: '127.0.0.1' });
    expectRefusal(second, await second.exited, first.server.child.pid!);

    // The holder carries on, its data intact.
    const read = await fetch(`http://127.0.0.1:${port}/ResearchSubject/${stored.id}`);
    expect(read.status).toBe(200);

    // Killed without a chance to release its lock: the next start takes the folder over.
    first.server.child.kill('SIGKILL');
    expect(await first.server.exited).toBeNull();
    const third = startServer();
    const thirdPort = await third.port;
    const reread = await fetch(`http://127.0.0.1:${thirdPort}/ResearchSubject/${stored.id}`);
    expect(reread.status).toBe(200);
    expect(((await reread.json()) as { id: string }).id).toBe(stored.id);
    third.server.child.kill('SIGTERM');
    expect(await third.server.exited).toBe(0);
  }, 180_000);
});
