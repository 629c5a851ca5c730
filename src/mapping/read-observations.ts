// Observation → LabResult / Assessment, and DiagnosticReport conclusions → Assessment.
// Dropped: status cancelled, entered-in-error, registered (no result yet). A matched component
// of a panel is read like an Observation of its own, with the panel's status and date.

import type { DayRange, IsoDay } from '../fhir/dates.js';
import type { RecordEntry } from '../ingest/patient-record.js';
import type { CompiledLab, CompiledMeasure, CompiledStudy } from './compiled-study.js';
import { Extraction } from './fhirpath-extract.js';
import { afterAsOf } from './known-at.js';
import { describeQuantity, foldCodings, isRecord, readDate, readQuantity, type QuantityRead } from './fhir-values.js';
import type { Assessment, LabResult } from './model.js';
import { combine, interpretationSide, valueSide } from './positivity.js';
import { toUnit, type UnitRule } from './quantity-in-unit.js';
import { readTitre } from './titre.js';
import { valueSetIdsOf } from './value-set-ids.js';

const NOT_COUNTED = new Set(['cancelled', 'entered-in-error', 'registered']);

/** What one (component of an) Observation says, before it is read for a lab or a measure. */
interface Reading {
  ref: string;
  date: DayRange | undefined;
  value: unknown;
  high: unknown;
  interpretation: unknown;
  problems: string[];
}

/** What eventDate reads: an Observation's or a DiagnosticReport's extraction. */
interface EventFields {
  one(field: 'effective' | 'issued'): unknown;
  readonly problems: string[];
}

/** Observation.effective[x] (dateTime, instant, Period.end) else issued, read only when needed. */
function eventDate(x: EventFields): DayRange | undefined {
  const problems = x.problems;
  const effective = x.one('effective');
  if (typeof effective === 'string') {
    const d = readDate(effective, 'effective', problems);
    if (d) return d;
  } else if (isRecord(effective) && ('end' in effective || 'start' in effective)) {
    const d = readDate(effective['end'] ?? effective['start'], 'effectivePeriod', problems);
    if (d) return d;
  } else if (effective !== undefined) {
    problems.push('effective is not a date or Period');
  }
  return readDate(x.one('issued'), 'issued', problems);
}

function componentValue(component: Record<string, unknown>): unknown {
  for (const k of Object.keys(component)) if (k.startsWith('value')) return component[k];
  return undefined;
}

/** value[x] as a Quantity, when it is one (a bare number is a unitless Quantity). */
function asQuantity(value: unknown, problems: string[]): QuantityRead | undefined {
  if (typeof value === 'number') return Number.isFinite(value) ? { value } : undefined;
  if (!isRecord(value) || !('value' in value) || 'numerator' in value) return undefined;
  return readQuantity(value, 'valueQuantity', problems);
}

/** A Ratio's side as sent; anything but a number or string is '?' (String() of a list would walk it). */
function ratioPart(side: unknown): string {
  const v = isRecord(side) ? side['value'] : undefined;
  return typeof v === 'number' || typeof v === 'string' ? String(v) : '?';
}

function firstCoding(first: Record<string, unknown> | undefined, _system: string, _code: string, coding: Record<string, unknown>): Record<string, unknown> {
  return first ?? coding;
}

function valueText(value: unknown): string {
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  if (!isRecord(value)) return '';
  if ('numerator' in value || 'denominator' in value) {
    return `${ratioPart(value['numerator'])}:${ratioPart(value['denominator'])}`;
  }
  if ('value' in value) {
    const q = readQuantity(value, '', []);
    return q ? describeQuantity(q) : '';
  }
  if (typeof value['text'] === 'string') return value['text'];
  const c = foldCodings(value, undefined, firstCoding, undefined);
  if (!c) return '';
  return typeof c['display'] === 'string' ? c['display'] : (c['code'] as string);
}

/** valueText, from the Quantity asQuantity already read when it is one (not a Ratio). */
function textOf(value: unknown, q: QuantityRead | undefined): string {
  return q !== undefined && !(isRecord(value) && 'denominator' in value) ? describeQuantity(q) : valueText(value);
}

/** The unit rule of a lab, made once per lab instead of once per result. */
const UNIT_RULES = new WeakMap<CompiledLab, UnitRule>();

function unitRuleOf(lab: CompiledLab): UnitRule {
  let rule = UNIT_RULES.get(lab);
  if (!rule) {
    const def = lab.def;
    rule = {
      unit: def.unit!,
      ...(def.molarFactor ? { molarFactor: def.molarFactor } : {}),
      ...(def.perAmountMolarMass ? { perAmountMolarMass: def.perAmountMolarMass } : {}),
      ...(def.unitRequired ? { unitRequired: true } : {}),
      ...(def.unitAliases ? { unitAliases: new Map(Object.entries(def.unitAliases)) } : {}),
    };
    UNIT_RULES.set(lab, rule);
  }
  return rule;
}

export function readLab(study: CompiledStudy, lab: CompiledLab, r: Reading): LabResult {
  const def = lab.def;
  const problems = [...r.problems];
  const q = asQuantity(r.value, problems);
  // Every field from the start, absent ones undefined: one object shape for every lab result,
  // so the criteria's reads of them stay monomorphic.
  const result: LabResult = {
    ref: r.ref,
    test: lab.id,
    date: r.date,
    value: undefined,
    comparator: undefined,
    unit: undefined,
    uln: undefined,
    ulnSource: undefined,
    valueProblem: undefined,
    valueText: textOf(r.value, q),
    positivity: 'unknown',
    positivityReason: undefined,
    titre: undefined,
    valueConcepts: undefined,
  };
  // A coded value (a NYHA class): the value sets its codes are in, for rules that read it.
  if (isRecord(r.value) && 'coding' in r.value) result.valueConcepts = valueSetIdsOf(study, r.value);

  const high = readQuantity(r.high, 'referenceRange.high', []);
  let quantitative: 'positive' | 'negative' | undefined;
  if (q) {
    if (q.comparator) result.comparator = q.comparator;
    if (def.unit !== undefined) {
      const rule = unitRuleOf(lab);
      const converted = toUnit(q, rule);
      if ('value' in converted) {
        result.value = converted.value;
        result.unit = def.unit;
      } else {
        result.valueProblem = converted.problem;
      }
      // A range high with no unit is taken to be in the value's unit.
      const uln = high ? toUnit(high.unit === undefined && q.unit !== undefined ? { ...high, unit: q.unit } : high, rule) : undefined;
      if (uln && 'value' in uln) {
        result.uln = uln.value;
        result.ulnSource = 'reference-range';
      } else if (def.defaultUln !== undefined) {
        result.uln = def.defaultUln;
        result.ulnSource = 'default';
      }
    } else if (!def.titre) {
      result.value = q.value;
      if (q.unit !== undefined) result.unit = q.unit;
    }
    quantitative = quantitativeSide(lab, q, result, high);
  } else if (def.unit !== undefined && r.value === undefined) {
    // Absent, or unreadable (the Extraction says why).
    result.valueProblem = problems.find((p) => p.startsWith('value ')) ?? 'no value';
  } else if (def.unit !== undefined && !isQualitativeValue(r.value)) {
    result.valueProblem = problems[0] ?? 'the value is not a Quantity';
  }

  if (def.titre) {
    const titre = readTitre(study, r.value);
    if (titre) result.titre = titre;
  }
  const verdict = combine(interpretationSide(study, r.interpretation), valueSide(study, r.value) ?? quantitative);
  result.positivity = verdict.positivity;
  if (verdict.reason) result.positivityReason = verdict.reason;
  return result;
}

function isQualitativeValue(value: unknown): boolean {
  return typeof value === 'string' || typeof value === 'boolean' || (isRecord(value) && ('coding' in value || 'text' in value));
}

/** Positivity from a number: antibody above its reference range, RNA detected, hCG ≥ threshold. */
function quantitativeSide(lab: CompiledLab, q: QuantityRead, result: LabResult, high: QuantityRead | undefined): 'positive' | 'negative' | undefined {
  const def = lab.def;
  const below = q.comparator === '<' || q.comparator === '<=';
  if (def.detectable) {
    if (below) return 'negative';
    return q.value > 0 ? 'positive' : 'negative';
  }
  if (lab.positiveAtOrAbove !== undefined) {
    if (result.value === undefined) return undefined;
    if (result.value >= lab.positiveAtOrAbove) return below ? undefined : 'positive';
    return q.comparator === '>' || q.comparator === '>=' ? undefined : 'negative';
  }
  if (def.qualitative && high) {
    if (high.unit !== undefined && q.unit !== undefined && high.unit !== q.unit) return undefined;
    if (q.value > high.value) return below ? undefined : 'positive';
    return q.comparator === '>' || q.comparator === '>=' ? undefined : 'negative';
  }
  return undefined;
}

export function readAssessment(study: CompiledStudy, measure: CompiledMeasure, r: Reading): Assessment {
  const def = measure.def;
  const problems = [...r.problems];
  const q = asQuantity(r.value, problems);
  // One object shape for every assessment, as for lab results.
  const a: Assessment = {
    ref: r.ref,
    measure: measure.id,
    date: r.date,
    value: undefined,
    unit: undefined,
    valueProblem: undefined,
    valueText: textOf(r.value, q),
    positivity: 'unknown',
    scale: def.scale,
  };
  if (def.unit !== undefined) {
    if (q) {
      const converted = toUnit(q, { unit: def.unit });
      if ('value' in converted) {
        a.value = converted.value;
        a.unit = def.unit;
      } else a.valueProblem = converted.problem;
    } else if (!def.finding) {
      a.valueProblem = r.value === undefined ? 'no value' : problems[0] ?? 'the value is not a Quantity';
    }
  }
  if (measure.scales && def.scaleOf && a.value !== undefined) readScale(a, measure.scales, def.scaleOf.name, readQuantity(r.high, 'referenceRange.high', []));
  const verdict = combine(interpretationSide(study, r.interpretation), valueSide(study, r.value));
  a.positivity = verdict.positivity;
  return a;
}

/**
 * A generic code of a score on several scales (assessments.yaml `scaleOf`, the MMT-8 out of 80
 * or 150): a value above every scale but the largest is on the largest; otherwise the
 * referenceRange.high must name a scale. Never guessed: else the value has a problem.
 */
function readScale(a: Assessment, scales: readonly { id: string; scale: number }[], name: string, high: QuantityRead | undefined): void {
  const largest = scales.at(-1)!;
  const secondLargest = scales.at(-2)!;
  const chosen = a.value! > secondLargest.scale ? largest : scales.find((s) => s.scale === high?.value);
  if (chosen === undefined) {
    a.valueProblem = `${name} scale (${scales.map((s) => `0-${s.scale}`).join(' or ')}) is not stated`;
    return;
  }
  a.scale = chosen.scale;
  a.measure = chosen.id;
}

export interface ObservationMatch {
  /** Lab and measure ids matched by Observation.code. */
  labs: readonly string[];
  measures: readonly string[];
  /** Components (by index) whose code matched. */
  components: { index: number; labs: readonly string[]; measures: readonly string[] }[];
}

export function readObservation(
  study: CompiledStudy,
  entry: RecordEntry,
  match: ObservationMatch,
  out: { labs: LabResult[]; assessments: Assessment[] },
  asOf: IsoDay,
): void {
  const x = new Extraction(study.extract.Observation, entry.resource);
  const status = x.firstString('status');
  if (status && NOT_COUNTED.has(status)) return;
  const problems = x.problems;
  const date = eventDate(x);
  if (afterAsOf(date, asOf)) return;
  // Readings are built field by field, not spread from a shared base: this runs for every
  // matched Observation, and an object spread costs more than naming the fields.
  if (match.labs.length + match.measures.length > 0) {
    const r: Reading = { ref: entry.ref, date, value: x.one('value'), high: x.all('referenceRangeHigh')[0], interpretation: x.all('interpretation'), problems };
    emit(study, match.labs, match.measures, r, out);
  }
  if (match.components.length === 0) return;
  const components = x.all('component');
  for (const c of match.components) {
    const comp = components[c.index];
    if (!isRecord(comp)) continue;
    const range = Array.isArray(comp['referenceRange']) ? comp['referenceRange'][0] : undefined;
    const high = isRecord(range) ? range['high'] : undefined;
    const r: Reading = { ref: entry.ref, date, value: componentValue(comp), high, interpretation: comp['interpretation'], problems };
    emit(study, c.labs, c.measures, r, out);
  }
}

function emit(study: CompiledStudy, labs: readonly string[], measures: readonly string[], r: Reading, out: { labs: LabResult[]; assessments: Assessment[] }): void {
  for (let i = 0; i < labs.length; i++) out.labs.push(readLab(study, study.labs.get(labs[i]!)!, r));
  for (let i = 0; i < measures.length; i++) out.assessments.push(readAssessment(study, study.measures.get(measures[i]!)!, r));
}

/** A DiagnosticReport whose conclusionCode is a finding measure (MRI: severe muscle atrophy). */
export function readReportFinding(study: CompiledStudy, entry: RecordEntry, measures: readonly string[], out: Assessment[], asOf: IsoDay): void {
  const x = new Extraction(study.extract.DiagnosticReport, entry.resource);
  const status = x.firstString('status');
  if (status && NOT_COUNTED.has(status)) return;
  const date = eventDate(x);
  if (afterAsOf(date, asOf)) return;
  for (const id of measures) {
    const a: Assessment = { ref: entry.ref, measure: id, valueText: 'report conclusion', positivity: 'positive' };
    if (date) a.date = date;
    out.push(a);
  }
}

