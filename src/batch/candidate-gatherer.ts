// Pass 2 keeps the candidates' lines grouped by patient, as the exported bytes: they are
// copied from the scanner's buffer into one fixed arena, never made into strings. Past the
// arena's size every buffered group is appended to one temporary file and remembered as
// (offset, length) segments, and the arena is reused: memory stays at the arena however many
// candidates an export has, and the main thread's heap does not fill with retained line text
// that V8 would only reclaim late. Reading a patient back is a few positioned reads.

import { closeSync, mkdtempSync, openSync, readSync, rmSync, writeSync, writevSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

interface Group {
  /** [start, end) pairs in the arena, in the order added. */
  slices: number[];
  segments: [offset: number, length: number][];
}

export interface GathererOptions {
  /** Bytes of candidate text kept in memory before spilling (the arena's size). Default 16 MiB. */
  memoryBudget?: number;
  /** Where the spill file goes; default the OS temp folder. */
  tempDir?: string;
}

const NEWLINE = Buffer.from('\n');

export class CandidateGatherer {
  readonly #groups = new Map<string, Group>();
  readonly #budget: number;
  readonly #tempRoot: string;
  #arena: Buffer | undefined;
  #used = 0;
  #dir: string | undefined;
  #fd: number | undefined;
  #offset = 0;
  spilledBytes = 0;

  constructor(patientIds: Iterable<string>, options: GathererOptions = {}) {
    for (const id of patientIds) this.#groups.set(id, { slices: [], segments: [] });
    this.#budget = Math.max(1024, options.memoryBudget ?? 16 * 1024 * 1024);
    this.#tempRoot = options.tempDir ?? tmpdir();
  }

  has(patientId: string): boolean {
    return this.#groups.has(patientId);
  }

  get size(): number {
    return this.#groups.size;
  }

  /** One line (as text). */
  add(patientId: string, line: string): void {
    if (!this.#groups.has(patientId)) return;
    const bytes = Buffer.from(line, 'utf8');
    this.addBytes(patientId, bytes, 0, bytes.length);
  }

  /** One line: bytes [start, end) of `bytes` (UTF-8, no LF), copied. */
  addBytes(patientId: string, bytes: Uint8Array, start: number, end: number): void {
    const group = this.#groups.get(patientId);
    if (!group) return;
    const length = end - start;
    if (this.#used + length > this.#budget) this.spill();
    if (length > this.#budget) {
      // Larger than the arena: straight to the file, after everything buffered before it.
      group.segments.push([this.#append([bytes.subarray(start, end)]), length]);
      return;
    }
    this.#arena ??= Buffer.allocUnsafe(this.#budget);
    this.#arena.set(bytes.subarray(start, end), this.#used);
    group.slices.push(this.#used, this.#used + length);
    this.#used += length;
  }

  /**
   * Appends every buffered group to the spill file, one after the other, in as few writes as
   * the system allows (IOV_MAX buffers each): one write a group would make a night of many
   * candidates pay a system call per candidate per spill.
   */
  spill(): void {
    if (this.#used === 0) return;
    const arena = this.#arena!;
    const parts: Uint8Array[] = [];
    let at = this.#offset;
    for (const group of this.#groups.values()) {
      const { slices } = group;
      if (slices.length === 0) continue;
      let length = 0;
      for (let i = 0; i < slices.length; i += 2) {
        if (i > 0) parts.push(NEWLINE);
        parts.push(arena.subarray(slices[i]!, slices[i + 1]!));
        length += slices[i + 1]! - slices[i]! + (i > 0 ? 1 : 0);
      }
      group.segments.push([at, length]);
      at += length;
      group.slices = [];
    }
    this.#append(parts);
    this.#used = 0;
  }

  /** Writes `parts` at the end of the spill file; returns where they start. */
  #append(parts: Uint8Array[]): number {
    if (this.#fd === undefined) {
      this.#dir = mkdtempSync(join(this.#tempRoot, 'fhir-prescreen-'));
      this.#fd = openSync(join(this.#dir, 'candidates.ndjson'), 'w+');
    }
    const at = this.#offset;
    let length = 0;
    for (const p of parts) length += p.length;
    // writev takes at most IOV_MAX (1024) buffers a call.
    for (let i = 0, position = at; i < parts.length; i += 1024) {
      const chunk = parts.slice(i, i + 1024);
      let want = 0;
      for (const p of chunk) want += p.length;
      const written = writevSync(this.#fd, chunk, position);
      if (written < want) {
        const rest = Buffer.concat(chunk).subarray(written);
        for (let off = 0; off < rest.length; ) off += writeSync(this.#fd, rest, off, rest.length - off, position + written + off);
      }
      position += want;
    }
    this.#offset += length;
    this.spilledBytes += length;
    return at;
  }

  /** Each patient's lines, in the order the patients were given; a group is released once read. */
  *patients(): Generator<{ patientId: string; lines: string[] }> {
    for (const [patientId, group] of this.#groups) {
      const lines: string[] = [];
      for (const [offset, length] of group.segments) {
        const bytes = Buffer.allocUnsafe(length);
        for (let got = 0; got < length; ) {
          const n = readSync(this.#fd!, bytes, got, length - got, offset + got);
          if (n === 0) throw new Error('the candidate spill file is shorter than written');
          got += n;
        }
        for (const line of bytes.toString('utf8').split('\n')) lines.push(line);
      }
      const { slices } = group;
      for (let i = 0; i < slices.length; i += 2) lines.push(this.#arena!.toString('utf8', slices[i], slices[i + 1]));
      this.#groups.delete(patientId);
      yield { patientId, lines };
    }
  }

  close(): void {
    if (this.#fd !== undefined) closeSync(this.#fd);
    if (this.#dir !== undefined) rmSync(this.#dir, { recursive: true, force: true });
    this.#fd = undefined;
    this.#dir = undefined;
    this.#arena = undefined;
  }
}
