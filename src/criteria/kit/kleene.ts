// Three-valued (Kleene) AND / OR / NOT over kit outcomes, carrying evidence, reasons, missing
// data and clearsOn along.
//
//   all: `not-met` if any part is not-met, else `unknown` if any part is unknown, else `met`.
//   any: `met` if any part is met, else `unknown` if any part is unknown, else `not-met`.
//   not: swaps met and not-met; unknown stays unknown.
//
// Manual: an `unknown` combination is manual exactly when no settling of its open (non-manual)
// unknown parts could decide it: every way the missing record data could turn out leaves it
// unknown, so only a person can decide. Put the other way: it is manual only when every unknown
// part that could still decide it is manual. Each outcome carries the decided results it could
// still become (outcome.ts `couldBecome`): an `all` could become met when every part could, and
// not-met when some part could; an `any` the reverse. So `all(any(manual, open), manual)` is
// manual: the open part can only make the `any` met, which leaves the `all` waiting on a person.
//
// clearsOn is the first later D on which the result changes by time alone:
//   all met / any not-met: the earliest clearsOn of its parts (the first part to change);
//   all not-met / any met: the latest clearsOn of the deciding parts, and none when one of them
//   has none (it holds the result for ever);
//   unknown: none. not: its part's.

import { uniqueRefs } from '../common/outcome.js';
import type { MissingData } from '../types.js';
import { reachable, type Decided, type KitOutcome } from './outcome.js';

export function all(parts: KitOutcome[]): KitOutcome {
  return combine(parts, 'not-met', 'met');
}

export function any(parts: KitOutcome[]): KitOutcome {
  return combine(parts, 'met', 'not-met');
}

export function not(part: KitOutcome): KitOutcome {
  const out: KitOutcome = { ...part, result: flip(part.result) };
  if (part.couldBecome) out.couldBecome = part.couldBecome.map(flip);
  return out;
}

function flip<T extends KitOutcome['result']>(r: T): T {
  return (r === 'met' ? 'not-met' : r === 'not-met' ? 'met' : r) as T;
}

/**
 * `dominant` decides the combination when one part has it (not-met for all, met for any);
 * `unit` is the result when every part has it (and of an empty combination).
 */
function combine(parts: KitOutcome[], dominant: Decided, unit: Decided): KitOutcome {
  const deciding = parts.filter((p) => p.result === dominant);
  if (deciding.length > 0) {
    return decidedBy(dominant, deciding, latestOrNone(deciding));
  }
  const unknown = parts.filter((p) => p.result === 'unknown');
  if (unknown.length === 0) return decidedBy(unit, parts, earliest(parts));
  const couldBecome: Decided[] = [];
  if (parts.every((p) => reachable(p).includes(unit))) couldBecome.push(unit);
  if (parts.some((p) => reachable(p).includes(dominant))) couldBecome.push(dominant);
  const missing = new Map<string, MissingData>();
  for (const p of unknown) for (const m of p.missingData) if (!missing.has(m.text)) missing.set(m.text, m);
  return {
    result: 'unknown',
    manual: couldBecome.length === 0,
    reason: reasonOf(unknown),
    evidence: uniqueRefs(parts.flatMap((p) => (p.result === 'unknown' || p.result === unit ? p.evidence : []))),
    missingData: [...missing.values()],
    couldBecome,
  };
}

function decidedBy(result: Decided, parts: KitOutcome[], clearsOn: string | undefined): KitOutcome {
  const out: KitOutcome = { result, manual: false, reason: reasonOf(parts), evidence: uniqueRefs(parts.flatMap((p) => p.evidence)), missingData: [] };
  if (clearsOn !== undefined) out.clearsOn = clearsOn;
  return out;
}

/** The parts' reasons, each once (two bands may read the same missing eGFR). */
function reasonOf(parts: KitOutcome[]): string {
  return [...new Set(parts.map((p) => p.reason).filter((r) => r.length > 0))].join('; ');
}

function earliest(parts: KitOutcome[]): string | undefined {
  let day: string | undefined;
  for (const p of parts) if (p.clearsOn !== undefined && (day === undefined || p.clearsOn < day)) day = p.clearsOn;
  return day;
}

function latestOrNone(parts: KitOutcome[]): string | undefined {
  let day: string | undefined;
  for (const p of parts) {
    if (p.clearsOn === undefined) return undefined;
    if (day === undefined || p.clearsOn > day) day = p.clearsOn;
  }
  return day;
}
