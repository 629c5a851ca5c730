// Pass 2 keeps the candidates' lines (text, never parsed objects) grouped by patient. Past a
// memory budget every buffered group is appended to one temporary file and remembered as
// (offset, length) segments, so memory stays bounded however many candidates an export has;
// reading a patient back is a few positioned reads.

import { closeSync, mkdtempSync, openSync, readSync, rmSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

interface Group {
  lines: string[];
  segments: [offset: number, length: number][];
}

export interface GathererOptions {
  /** Text kept in memory before spilling (UTF-16 code units, about bytes for JSON). Default 64 MiB. */
  memoryBudget?: number;
  /** Where the spill file goes; default the OS temp folder. */
  tempDir?: string;
}

export class CandidateGatherer {
  readonly #groups = new Map<string, Group>();
  readonly #budget: number;
  readonly #tempRoot: string;
  #buffered = 0;
  #dir: string | undefined;
  #fd: number | undefined;
  #offset = 0;
  spilledBytes = 0;

  constructor(patientIds: Iterable<string>, options: GathererOptions = {}) {
    for (const id of patientIds) this.#groups.set(id, { lines: [], segments: [] });
    this.#budget = options.memoryBudget ?? 64 * 1024 * 1024;
    this.#tempRoot = options.tempDir ?? tmpdir();
  }

  has(patientId: string): boolean {
    return this.#groups.has(patientId);
  }

  get size(): number {
    return this.#groups.size;
  }

  add(patientId: string, line: string): void {
    const group = this.#groups.get(patientId);
    if (!group) return;
    group.lines.push(line);
    this.#buffered += line.length;
    if (this.#buffered > this.#budget) this.spill();
  }

  /** Appends every buffered group to the spill file. */
  spill(): void {
    if (this.#fd === undefined) {
      this.#dir = mkdtempSync(join(this.#tempRoot, 'fhir-prescreen-'));
      this.#fd = openSync(join(this.#dir, 'candidates.ndjson'), 'w+');
    }
    for (const group of this.#groups.values()) {
      if (group.lines.length === 0) continue;
      const bytes = Buffer.from(group.lines.join('\n'), 'utf8');
      writeSync(this.#fd, bytes, 0, bytes.length, this.#offset);
      group.segments.push([this.#offset, bytes.length]);
      this.#offset += bytes.length;
      this.spilledBytes += bytes.length;
      group.lines = [];
    }
    this.#buffered = 0;
  }

  /** Each patient's lines, in the order the patients were given; a group is released once read. */
  *patients(): Generator<{ patientId: string; lines: string[] }> {
    for (const [patientId, group] of this.#groups) {
      const lines: string[] = [];
      for (const [offset, length] of group.segments) {
        const bytes = Buffer.allocUnsafe(length);
        readSync(this.#fd!, bytes, 0, length, offset);
        lines.push(...bytes.toString('utf8').split('\n'));
      }
      lines.push(...group.lines);
      this.#groups.delete(patientId);
      yield { patientId, lines };
    }
  }

  close(): void {
    if (this.#fd !== undefined) closeSync(this.#fd);
    if (this.#dir !== undefined) rmSync(this.#dir, { recursive: true, force: true });
    this.#fd = undefined;
    this.#dir = undefined;
  }
}
