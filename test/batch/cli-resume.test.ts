// The CLI as a child process, killed with SIGKILL in the middle of committing results, then
// started again with --resume: every diagnosed patient ends up screened and recorded exactly
// once, no ResearchSubject is written twice, and the counts match an uninterrupted run.

import { spawn } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { openRunStorage } from '../../src/storage/open-run-storage.js';
import { tempDir, writeTestCohort } from './helpers.js';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const CLI = join(ROOT, 'src/batch/cli.ts');

interface Child {
  code: Promise<number | null>;
  stdout: () => string;
  stderr: () => string;
  kill(): void;
  /** Resolves once stderr has shown `count` committed batches. */
  commits(count: number): Promise<void>;
}

function runCli(args: string[], env: Record<string, string>): Child {
  const child = spawn(process.execPath, ['--import', 'tsx', CLI, 'find', ...args], {
    cwd: ROOT,
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  let err = '';
  const waiters: { count: number; resolve: () => void }[] = [];
  child.stdout.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr.on('data', (d: Buffer) => {
    err += d.toString();
    const n = err.split('"msg":"results committed"').length - 1;
    for (const w of waiters.splice(0)) {
      if (n >= w.count) w.resolve();
      else waiters.push(w);
    }
  });
  return {
    code: new Promise((resolve) => child.on('exit', (code) => resolve(code))),
    stdout: () => out,
    stderr: () => err,
    kill: () => child.kill('SIGKILL'),
    commits: (count) => new Promise((resolve) => waiters.push({ count, resolve })),
  };
}

describe('fhir-prescreen find, killed and resumed', () => {
  const tmp = tempDir('find-cli');
  afterAll(() => tmp.remove());

  it('finishes a SIGKILLed run with --resume: every patient once, nothing lost or duplicated', async () => {
    const input = join(tmp.dir, 'export');
    // ~30% myositis so that screening takes a few hundred one-patient transactions.
    writeTestCohort(input, 500, 'cli-resume', 0.3);
    // The default storage: embedded PGlite in DATA_DIR, as `npm start` would read it.
    // TMPDIR inside ours: the killed child cannot remove its candidate spill folder itself.
    const env = { DATA_DIR: join(tmp.dir, 'data'), LOG_LEVEL: 'debug', TMPDIR: join(tmp.dir, 'tmp') };
    mkdirSync(env.TMPDIR);
    const args = ['--study', 'belimumab-iim', '--input', input, '--as-of', '2026-10-26', '--out', join(tmp.dir, 'out')];

    const first = runCli([...args, '--batch-size', '1', '--workers', '1'], env);
    await Promise.race([first.commits(10), first.code]);
    first.kill();
    expect(await first.code).toBeNull(); // killed, not finished
    expect(first.stdout()).toBe('');

    const storage = await openRunStorage({ dataDir: env.DATA_DIR });
    let runId: string;
    let doneBefore: number;
    try {
      const run = await storage.runs.findResumableRun('belimumab-iim', '2026-10-26');
      expect(run?.status).toBe('running');
      runId = run!.id;
      doneBefore = (await storage.runs.donePatients(runId)).size;
      expect(doneBefore).toBeGreaterThanOrEqual(10);
    } finally {
      await storage.close();
    }

    const second = runCli([...args, '--resume'], { ...env, LOG_LEVEL: 'warn' });
    expect(await second.code).toBe(0);
    const summary = JSON.parse(second.stdout()) as { runId: string; status: string; resumed: boolean; screened: number; population: number };
    expect(summary).toMatchObject({ runId, status: 'complete', resumed: true, population: 500 });

    const check = await openRunStorage({ dataDir: env.DATA_DIR });
    try {
      const run = await check.runs.getRun(runId);
      const counts = run!.counts as { diagnosed: number; screened: number; screenedNow: number; stored: number };
      expect(counts.screened).toBe(counts.diagnosed);
      expect(counts.screenedNow).toBe(counts.diagnosed - doneBefore);
      const rows = await check.runs.runPatients(runId);
      expect(new Set(rows.map((r) => r.patientRef)).size).toBe(rows.length);
      expect(rows.length).toBe(counts.diagnosed);
      // One upsert per patient: a patient committed before the kill was not screened again.
      const subjects = await check.store.searchSubjects({ study: 'belimumab-iim', count: 10_000, offset: 0 });
      expect(subjects.total).toBe(counts.stored);
      expect(subjects.items.every((s) => (s.resource['meta'] as { versionId: string }).versionId === '1')).toBe(true);
    } finally {
      await check.close();
    }
  }, 60_000);

  it('exits 2 with the usage on bad arguments, 1 with one line on a fatal error', async () => {
    const usage = runCli(['--study', 'belimumab-iim'], {});
    expect(await usage.code).toBe(2);
    expect(usage.stderr()).toContain('give exactly one of --input and --export');
    const fatal = runCli(['--study', 'belimumab-iim', '--input', join(tmp.dir, 'nowhere')], { DATA_DIR: join(tmp.dir, 'data2') });
    expect(await fatal.code).toBe(1);
    expect(fatal.stderr().trim().split('\n').at(-1)).toMatch(/^fhir-prescreen find: the input folder .* does not exist$/);
  }, 30_000);
});

