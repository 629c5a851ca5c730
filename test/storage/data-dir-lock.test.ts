// The embedded database's folder lock, judged on real lock files: a live holder is refused with
// one line naming it; a lock left by a dead process, a reused pid, an earlier boot or a silent
// other host is taken over. The two-process behaviour is in data-dir-lock-processes.test.ts.

import { spawn, spawnSync } from 'node:child_process';
import { existsSync, readFileSync, utimesSync, writeFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it, onTestFinished } from 'vitest';
import { DataDirInUseError, LOCK_FILE, lockDataDir } from '../../src/storage/data-dir-lock.js';

const hasProc = existsSync('/proc/self/stat');

async function tempDir(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'prescreen-lock-'));
  onTestFinished(() => rm(dir, { recursive: true, force: true }));
  return dir;
}

function writeLock(dir: string, holder: Record<string, unknown>, ageMs = 0): void {
  const path = join(dir, LOCK_FILE);
  writeFileSync(path, typeof holder === 'string' ? holder : JSON.stringify(holder));
  const at = new Date(Date.now() - ageMs);
  utimesSync(path, at, at);
}

function lockOwner(dir: string): number {
  return (JSON.parse(readFileSync(join(dir, LOCK_FILE), 'utf8')) as { pid: number }).pid;
}

async function refusal(promise: Promise<unknown>): Promise<Error> {
  const error = await promise.then(
    () => new Error('took the lock'),
    (thrown: unknown) => thrown as Error,
  );
  expect(error).toBeInstanceOf(DataDirInUseError);
  return error;
}

/** The Linux start time of a pid, as the lock records it (field 22 of /proc/<pid>/stat). */
function startTicksOf(pid: number): string {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  return stat.slice(stat.lastIndexOf(')') + 2).split(' ')[19]!;
}

/** A pid that no process has any more: a child's, after it exited. */
function deadPid(): number {
  const child = spawnSync(process.execPath, ['-e', '']);
  return child.pid!;
}

describe('lockDataDir', () => {
  it('refuses a second holder with one line naming the first and PostgreSQL, and frees on release', async () => {
    const dir = await tempDir();
    const lock = await lockDataDir(dir, 'the fhir-prescreen service');
    const error = await refusal(lockDataDir(dir, 'the nightly finder'));
    expect(error.message).not.toContain('\n');
    expect(error.message).toContain(`DATA_DIR ${dir} is in use by the fhir-prescreen service (pid ${process.pid}`);
    expect(error.message).toContain('DATABASE_URL');
    await lock.release();
    expect(existsSync(join(dir, LOCK_FILE))).toBe(false);
    const again = await lockDataDir(dir, 'the nightly finder');
    expect(lockOwner(dir)).toBe(process.pid);
    await again.release();
  });

  it('takes over the lock of a process that no longer exists', async () => {
    const dir = await tempDir();
    writeLock(dir, { pid: deadPid(), role: 'the fhir-prescreen service', script: 'server.js', host: hostname(), since: '2026-01-01T00:00:00.000Z' });
    const lock = await lockDataDir(dir, 'the nightly finder');
    expect(lockOwner(dir)).toBe(process.pid);
    await lock.release();
  });

  it.skipIf(!hasProc)('tells a reused pid from its holder by start time (Linux /proc)', async () => {
    const dir = await tempDir();
    const sleeper = spawn(process.execPath, ['-e', 'setTimeout(() => {}, 60000)'], { stdio: 'ignore' });
    onTestFinished(() => void sleeper.kill('SIGKILL'));
    await new Promise((resolve) => sleeper.once('spawn', resolve));
    const pid = sleeper.pid!;
    const holder = { pid, role: 'the fhir-prescreen service', script: 'server.js', host: hostname(), since: '2026-01-01T00:00:00.000Z' };

    // The live process that wrote it: refused.
    writeLock(dir, { ...holder, startTicks: startTicksOf(pid) });
    expect((await refusal(lockDataDir(dir, 'the nightly finder'))).message).toContain(`pid ${pid}`);

    // The same pid, started at another time (a reused pid, or a restarted container's pid 1): stale.
    writeLock(dir, { ...holder, startTicks: String(Number(startTicksOf(pid)) - 1) });
    const lock = await lockDataDir(dir, 'the nightly finder');
    expect(lockOwner(dir)).toBe(process.pid);
    await lock.release();
  });

  it.skipIf(!hasProc)('takes over a lock written before the machine booted (Linux /proc)', async () => {
    const dir = await tempDir();
    writeLock(dir, { pid: process.ppid, role: 'the fhir-prescreen service', script: 'server.js', host: hostname(), bootId: 'another-boot', startTicks: startTicksOf(process.ppid), since: '' });
    const lock = await lockDataDir(dir, 'the nightly finder');
    expect(lockOwner(dir)).toBe(process.pid);
    await lock.release();
  });

  it('trusts another host only while it keeps the lock fresh', async () => {
    const dir = await tempDir();
    const holder = { pid: process.pid, role: 'the fhir-prescreen service', script: 'server.js', host: 'another-host', since: '2026-01-01T00:00:00.000Z' };
    writeLock(dir, holder, 5_000);
    expect((await refusal(lockDataDir(dir, 'the nightly finder'))).message).toContain('on host another-host');
    writeLock(dir, holder, 5 * 60_000);
    const lock = await lockDataDir(dir, 'the nightly finder');
    expect(lockOwner(dir)).toBe(process.pid);
    await lock.release();
  });

  it('waits out a lock file still being written, and not one left half-written long ago', async () => {
    const dir = await tempDir();
    writeFileSync(join(dir, LOCK_FILE), '');
    expect((await refusal(lockDataDir(dir, 'the nightly finder'))).message).toContain('another process');
    const old = new Date(Date.now() - 5 * 60_000);
    utimesSync(join(dir, LOCK_FILE), old, old);
    const lock = await lockDataDir(dir, 'the nightly finder');
    expect(lockOwner(dir)).toBe(process.pid);
    await lock.release();
  });

  it('leaves a lock that is no longer its own in place on release', async () => {
    const dir = await tempDir();
    const lock = await lockDataDir(dir, 'the fhir-prescreen service');
    const other = JSON.stringify({ pid: 1, role: 'someone else', script: 'x', host: 'another-host', since: '' });
    writeFileSync(join(dir, LOCK_FILE), other);
    await lock.release();
    expect(readFileSync(join(dir, LOCK_FILE), 'utf8')).toBe(other);
  });
});
