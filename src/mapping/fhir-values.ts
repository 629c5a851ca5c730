// Defensive readers for FHIR datatypes. Input is whatever a sender wrote: a string where a
// date goes, an array where an object goes. Every reader returns undefined for the unexpected
// and says why in `problems`, so bad data becomes missing data and never an exception.

import { parseFhirDate, type DayRange } from '../fhir/dates.js';
import type { CodingRef } from './model.js';

export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function shown(value: unknown): string {
  if (typeof value === 'string') return value.length <= 40 ? `'${value}'` : 'a long string';
  if (Array.isArray(value)) return 'a list';
  if (value === null) return 'null';
  return typeof value === 'object' ? 'an object' : `a ${typeof value}`;
}

/** A FHIR date/dateTime/instant as a day range; anything else is a problem. */
export function readDate(value: unknown, what: string, problems: string[]): DayRange | undefined {
  if (value === undefined) return undefined;
  const r = parseFhirDate(value);
  if (!r) problems.push(`${what} ${shown(value)} is not a valid date`);
  return r;
}

export interface PeriodRead {
  start?: DayRange;
  end?: DayRange;
}

export function readPeriod(value: unknown, what: string, problems: string[]): PeriodRead {
  if (value === undefined) return {};
  if (!isRecord(value)) {
    problems.push(`${what} ${shown(value)} is not a Period`);
    return {};
  }
  const out: PeriodRead = {};
  const start = readDate(value['start'], `${what}.start`, problems);
  const end = readDate(value['end'], `${what}.end`, problems);
  if (start) out.start = start;
  if (end) out.end = end;
  return out;
}

/** One coding's turn in foldCodings: the accumulator so far, the coding, the caller's context. */
export type CodingStep<T, C> = (acc: T, system: string, code: string, coding: Record<string, unknown>, context: C) => T;

/**
 * Folds `step` over each coding of a CodeableConcept, a Coding, or a list of either, in
 * order; malformed codings are skipped. It reads exactly those shapes and never follows the
 * input deeper (a list in a list is not FHIR): nothing has held a resource's depth when this
 * reads it (ingest/max-depth.ts). `step` takes what it needs as `context`, so a module-level
 * step allocates nothing: this runs for the code of every Observation, most of which match
 * nothing.
 */
export function foldCodings<T, C>(value: unknown, context: C, step: CodingStep<T, C>, init: T): T {
  let acc = init;
  if (Array.isArray(value)) {
    for (const x of value) acc = foldConcept(x, context, step, acc);
    return acc;
  }
  return foldConcept(value, context, step, acc);
}

/** A CodeableConcept's codings, or a Coding itself. */
function foldConcept<T, C>(value: unknown, context: C, step: CodingStep<T, C>, acc: T): T {
  if (!isRecord(value)) return acc;
  const coding = value['coding'];
  if (!Array.isArray(coding)) return foldCoding(value, context, step, acc);
  for (const c of coding) if (isRecord(c)) acc = foldCoding(c, context, step, acc);
  return acc;
}

function foldCoding<T, C>(c: Record<string, unknown>, context: C, step: CodingStep<T, C>, acc: T): T {
  const { system, code } = c;
  return typeof system === 'string' && typeof code === 'string' ? step(acc, system, code, c, context) : acc;
}

const NO_CODINGS: readonly CodingRef[] = Object.freeze([]);

/** Codings of a CodeableConcept, a Coding, or a list of either. Malformed codings are skipped. */
export function readCodings(value: unknown): readonly CodingRef[] {
  return foldCodings(value, undefined, codingRefStep, undefined) ?? NO_CODINGS;
}

function codingRefStep(out: CodingRef[] | undefined, system: string, code: string, coding: Record<string, unknown>): CodingRef[] {
  const c: CodingRef = { system, code };
  const display = coding['display'];
  if (typeof display === 'string') c.display = display;
  (out ??= []).push(c);
  return out;
}

/**
 * Text of a CodeableConcept (or list of them) and its codings' displays, for name matching;
 * the shapes foldCodings reads, no deeper.
 */
export function readTexts(value: unknown): string[] {
  const out: string[] = [];
  if (Array.isArray(value)) for (const x of value) textsOfConcept(x, out);
  else textsOfConcept(value, out);
  return out;
}

function textsOfConcept(v: unknown, out: string[]): void {
  if (!isRecord(v)) return;
  if (typeof v['text'] === 'string') out.push(v['text']);
  if (typeof v['display'] === 'string') out.push(v['display']);
  const coding = v['coding'];
  if (!Array.isArray(coding)) return;
  for (const c of coding) if (isRecord(c) && typeof c['display'] === 'string') out.push(c['display']);
}

export interface QuantityRead {
  value: number;
  unit?: string;
  comparator?: '<' | '<=' | '>=' | '>';
}

/** A Quantity: the UCUM `code` when given, else `unit`. A non-number value is a problem. */
export function readQuantity(value: unknown, what: string, problems: string[]): QuantityRead | undefined {
  if (value === undefined) return undefined;
  if (!isRecord(value)) {
    problems.push(`${what} ${shown(value)} is not a Quantity`);
    return undefined;
  }
  const v = value['value'];
  if (typeof v !== 'number' || !Number.isFinite(v)) {
    problems.push(`${what} has no numeric value`);
    return undefined;
  }
  const out: QuantityRead = { value: v };
  const code = value['code'];
  const unit = value['unit'];
  if (typeof code === 'string' && code.trim() !== '') out.unit = code.trim();
  else if (typeof unit === 'string' && unit.trim() !== '') out.unit = unit.trim();
  const cmp = value['comparator'];
  if (cmp === '<' || cmp === '<=' || cmp === '>=' || cmp === '>') out.comparator = cmp;
  return out;
}

export function describeQuantity(q: QuantityRead): string {
  return `${q.comparator ?? ''}${q.value}${q.unit === undefined ? '' : ` ${q.unit}`}`;
}

/** Which type a choice element was sent as (`onsetPeriod` → `Period`), read from the raw keys. */
export function choiceType(resource: Record<string, unknown>, element: string): string | undefined {
  for (const k of Object.keys(resource)) {
    if (k.length > element.length && k.startsWith(element) && /^[A-Z]/.test(k.charAt(element.length))) return k.slice(element.length);
  }
  return undefined;
}
