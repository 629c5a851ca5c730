// One process at a time in an embedded PGlite folder. PGlite is PostgreSQL in one process with
// no shared memory nor postmaster.pid: two processes that open the same folder both write its
// files and corrupt it (the service and `npm run find` together did). So the opener first
// creates DATA_DIR/fhir-prescreen.lock exclusively (O_EXCL) with who it is, and a second
// opener refuses at once, naming the holder.
//
// A lock left by a process that died without closing (SIGKILL, power loss) must not block the
// next start. The lock is stale when, on the same host:
//   - the machine booted since (boot id differs), or
//   - no process has its pid (process.kill(pid, 0) → ESRCH), or
//   - a process has its pid but started at another time (the pid was reused; Linux /proc
//     start time, which also tells a restarted container's pid 1 from the one that died).
// On another host (a folder shared between machines, or a container recreated with a new host
// name) pids say nothing: the holder touches the lock every HEARTBEAT_MS, and a lock untouched
// for FOREIGN_STALE_MS is stale.

import { closeSync, openSync, readFileSync, unlinkSync, writeSync } from 'node:fs';
import { link, readFile, rename, stat, unlink, utimes } from 'node:fs/promises';
import { hostname } from 'node:os';
import { basename, resolve } from 'node:path';

export const LOCK_FILE = 'fhir-prescreen.lock';
const HEARTBEAT_MS = 10_000;
const FOREIGN_STALE_MS = 60_000;
/** A lock file being written (created, content not yet there) is someone's for this long. */
const BEING_WRITTEN_MS = 10_000;

/** The one line a second opener gets: who holds the folder, and what to do instead. */
export class DataDirInUseError extends Error {
  constructor(dataDir: string, holder: LockHolder | undefined) {
    super(
      `DATA_DIR ${dataDir} is in use by ${describeHolder(holder)}: the embedded database takes one process at a time. ` +
        'Stop that process first, or set DATABASE_URL to a PostgreSQL database to run the service and the finder together.',
    );
    this.name = 'DataDirInUseError';
  }
}

export interface LockHolder {
  pid: number;
  /** What the process is, e.g. "the fhir-prescreen service". */
  role: string;
  /** The script it runs (no arguments: they may carry credentials). */
  script: string;
  host: string;
  bootId?: string;
  /** Linux: the process's start time in clock ticks since boot (/proc/<pid>/stat field 22). */
  startTicks?: string;
  since: string;
}

export interface DataDirLock {
  /** Removes the lock if it is still ours; idempotent. */
  release(): Promise<void>;
}

/** Lock files this process holds: a second open in the same process is refused too. */
const heldHere = new Set<string>();

export async function lockDataDir(dataDir: string, role: string): Promise<DataDirLock> {
  const path = resolve(dataDir, LOCK_FILE);
  const me: LockHolder = {
    pid: process.pid,
    role,
    script: basename(process.argv[1] ?? process.argv0),
    host: hostname(),
    ...optional('bootId', bootId()),
    ...optional('startTicks', startTicks(process.pid)),
    since: new Date().toISOString(),
  };
  const text = JSON.stringify(me);
  // A few rounds: each either takes the lock, refuses, or moves a stale lock aside.
  for (let round = 0; round < 5; round++) {
    if (createExclusive(path, text)) return held(path, text);
    let existing: string;
    let mtimeMs: number;
    try {
      [existing, mtimeMs] = await Promise.all([readFile(path, 'utf8'), stat(path).then((s) => s.mtimeMs)]);
    } catch (error) {
      if (isCode(error, 'ENOENT')) continue; // released meanwhile
      throw error;
    }
    const holder = parseHolder(existing);
    if (isAlive(holder, mtimeMs, me, path)) throw new DataDirInUseError(dataDir, holder);
    await moveAsideIfUnchanged(path, existing);
  }
  throw new DataDirInUseError(dataDir, undefined);
}

function createExclusive(path: string, text: string): boolean {
  let fd: number;
  try {
    fd = openSync(path, 'wx', 0o644);
  } catch (error) {
    if (isCode(error, 'EEXIST')) return false;
    throw error;
  }
  try {
    writeSync(fd, text);
  } catch (error) {
    closeSync(fd);
    unlinkSync(path); // not a half-written lock that blocks the next opener
    throw error;
  }
  closeSync(fd);
  return true;
}

function held(path: string, text: string): DataDirLock {
  heldHere.add(path);
  const heartbeat = setInterval(() => {
    const now = new Date();
    utimes(path, now, now).catch(() => undefined);
  }, HEARTBEAT_MS);
  heartbeat.unref();
  // A process that exits without closing (process.exit on a fatal error) leaves no lock.
  const onExit = () => removeIfOurs(path, text);
  process.once('exit', onExit);
  let released = false;
  return {
    async release() {
      if (released) return;
      released = true;
      clearInterval(heartbeat);
      process.removeListener('exit', onExit);
      removeIfOurs(path, text);
      heldHere.delete(path);
    },
  };
}

function removeIfOurs(path: string, text: string): void {
  try {
    if (readFileSync(path, 'utf8') === text) unlinkSync(path);
  } catch {
    // Already gone, or the folder with it: nothing to release.
  }
}

function isAlive(holder: LockHolder | undefined, mtimeMs: number, me: LockHolder, path: string): boolean {
  const age = Date.now() - mtimeMs;
  if (holder === undefined) return age < BEING_WRITTEN_MS;
  if (holder.host !== me.host) return age < FOREIGN_STALE_MS;
  if (holder.bootId !== undefined && me.bootId !== undefined && holder.bootId !== me.bootId) return false;
  if (!pidExists(holder.pid)) return false;
  const ticks = startTicks(holder.pid);
  if (holder.startTicks !== undefined && ticks !== undefined) return holder.startTicks === ticks;
  // No /proc (macOS): our own pid is alive by definition; it is us only if we hold this lock.
  if (holder.pid === process.pid) return heldHere.has(path);
  return true;
}

function pidExists(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return !isCode(error, 'ESRCH'); // EPERM: alive, another user's
  }
}

/**
 * Moves a stale lock aside, atomically, and only the one judged stale: if another process
 * replaced it in between, that one's lock is put back.
 */
async function moveAsideIfUnchanged(path: string, judged: string): Promise<void> {
  const aside = `${path}.stale-${process.pid}`;
  try {
    await rename(path, aside);
  } catch (error) {
    if (isCode(error, 'ENOENT')) return;
    throw error;
  }
  const moved = await readFile(aside, 'utf8').catch(() => judged);
  if (moved !== judged) await link(aside, path).catch(() => undefined);
  await unlink(aside).catch(() => undefined);
}

function parseHolder(text: string): LockHolder | undefined {
  try {
    const value: unknown = JSON.parse(text);
    if (typeof value !== 'object' || value === null) return undefined;
    const v = value as Record<string, unknown>;
    if (!Number.isSafeInteger(v.pid) || (v.pid as number) <= 0 || typeof v.host !== 'string') return undefined;
    return {
      pid: v.pid as number,
      role: typeof v.role === 'string' ? v.role : 'another process',
      script: typeof v.script === 'string' ? v.script : '',
      host: v.host,
      ...optional('bootId', typeof v.bootId === 'string' ? v.bootId : undefined),
      ...optional('startTicks', typeof v.startTicks === 'string' ? v.startTicks : undefined),
      since: typeof v.since === 'string' ? v.since : '',
    };
  } catch {
    return undefined;
  }
}

function describeHolder(holder: LockHolder | undefined): string {
  if (holder === undefined) return 'another process (it is opening the folder now)';
  const where = holder.host === hostname() ? '' : ` on host ${holder.host}`;
  const what = [`pid ${holder.pid}${where}`, holder.script, holder.since === '' ? '' : `since ${holder.since}`].filter((s) => s !== '');
  return `${holder.role} (${what.join(', ')})`;
}

function bootId(): string | undefined {
  try {
    return readFileSync('/proc/sys/kernel/random/boot_id', 'utf8').trim();
  } catch {
    return undefined;
  }
}

function startTicks(pid: number): string | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // The command name (field 2) is in parentheses and may hold spaces: count from after it.
    return stat.slice(stat.lastIndexOf(')') + 2).split(' ')[19];
  } catch {
    return undefined;
  }
}

function optional<K extends string, V>(key: K, value: V | undefined): { [P in K]?: V } {
  return (value === undefined ? {} : { [key]: value }) as { [P in K]?: V };
}

function isCode(error: unknown, code: string): boolean {
  return (error as NodeJS.ErrnoException | undefined)?.code === code;
}
