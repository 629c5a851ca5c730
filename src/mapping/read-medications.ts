// Medication{Statement,Request,Administration,Dispense} → MedicationRecord. Dropped: status
// entered-in-error; MedicationStatement not-taken; MedicationRequest cancelled/draft; and,
// because they never reached the patient, MedicationAdministration not-done and
// MedicationDispense cancelled/declined.

import type { IsoDay } from '../fhir/dates.js';
import type { RecordEntry } from '../ingest/patient-record.js';
import { key, type CompiledStudy } from './compiled-study.js';
import { Extraction } from './fhirpath-extract.js';
import { readCodings, readTexts } from './fhir-values.js';
import { groupsOf, type AgentMatch } from './medication-agent.js';
import { doseOf } from './medication-dose.js';
import { routeOf } from './medication-route.js';
import { spanOf, type SpanInput } from './medication-span.js';
import type { MedicationRecord } from './model.js';

type MedicationType = MedicationRecord['resourceType'];

// A Map: it is asked with the resourceType as sent (`t in {…}` held for `constructor`).
const NOT_COUNTED: ReadonlyMap<string, ReadonlySet<string>> = new Map([
  ['MedicationStatement', new Set(['entered-in-error', 'not-taken'])],
  ['MedicationRequest', new Set(['entered-in-error', 'cancelled', 'draft'])],
  ['MedicationAdministration', new Set(['entered-in-error', 'not-done'])],
  ['MedicationDispense', new Set(['entered-in-error', 'cancelled', 'declined'])],
]);

export function isMedicationType(t: string): t is MedicationType {
  return NOT_COUNTED.has(t);
}

function listOf(values: unknown[]): unknown[] {
  const out: unknown[] = [];
  for (const v of values) {
    // forEach, like flatMap, skips holes.
    if (Array.isArray(v)) v.forEach((item) => out.push(item));
    else out.push(v);
  }
  return out;
}

function extract(study: CompiledStudy, type: MedicationType, entry: RecordEntry) {
  switch (type) {
    case 'MedicationStatement': {
      const x = new Extraction(study.extract.MedicationStatement, entry.resource);
      const input: SpanInput = { resourceType: type, status: x.firstString('status'), effective: x.one('effective') };
      return { x, input, dosage: listOf(x.all('dosage')), statusReason: x.all('statusReason') };
    }
    case 'MedicationRequest': {
      const x = new Extraction(study.extract.MedicationRequest, entry.resource);
      const input: SpanInput = {
        resourceType: type,
        status: x.firstString('status'),
        authoredOn: x.one('authoredOn'),
        validityPeriod: x.one('validityPeriod'),
        expectedSupplyDuration: x.one('expectedSupplyDuration'),
        numberOfRepeatsAllowed: x.one('numberOfRepeatsAllowed'),
      };
      return { x, input, dosage: listOf(x.all('dosage')), statusReason: x.all('statusReason') };
    }
    case 'MedicationAdministration': {
      const x = new Extraction(study.extract.MedicationAdministration, entry.resource);
      const input: SpanInput = { resourceType: type, status: x.firstString('status'), effective: x.one('effective') };
      return { x, input, dosage: listOf(x.all('dosage')), statusReason: x.all('statusReason') };
    }
    case 'MedicationDispense': {
      const x = new Extraction(study.extract.MedicationDispense, entry.resource);
      const input: SpanInput = {
        resourceType: type,
        status: x.firstString('status'),
        whenHandedOver: x.one('whenHandedOver'),
        whenPrepared: x.one('whenPrepared'),
      };
      return { x, input, dosage: listOf(x.all('dosage')), statusReason: x.all('statusReason') };
    }
  }
}

function stoppedForAdverseReaction(study: CompiledStudy, reasons: unknown[]): boolean {
  for (const c of readCodings(reasons)) if (study.index.match(c.system, c.code).includes(key.adverseReaction)) return true;
  return readTexts(reasons).some((t) => study.adverseWords.find(t).length > 0);
}

/** The agents' one prednisone factor; none, or two that differ, is no factor. */
function prednisoneFactor(study: CompiledStudy, agents: readonly string[]): number | undefined {
  let factor: number | undefined;
  for (const a of agents) {
    const f = study.agents.get(a)?.prednisoneFactor;
    if (f === undefined) continue;
    if (factor !== undefined && factor !== f) return undefined;
    factor = f;
  }
  return factor;
}

/**
 * codes.md §3: a glucocorticoid counts only with an oral, IV, IM or SC route or dose form; one
 * with neither a route nor a dose form is possibly systemic (it decides nothing by itself).
 */
export function possiblySystemic(m: MedicationRecord): boolean {
  return m.route === undefined && m.groups.includes('glucocorticoid');
}

export function readMedication(
  study: CompiledStudy,
  entry: RecordEntry,
  type: MedicationType,
  match: AgentMatch,
  names: string[],
  asOf: IsoDay,
): MedicationRecord | undefined {
  const { x, input, dosage, statusReason } = extract(study, type, entry);
  if (input.status && NOT_COUNTED.get(type)!.has(input.status)) return undefined;
  const route = routeOf(study, dosage, match.impliedRoute, names);

  // Route rules: a systemic-only agent (glucocorticoids, tacrolimus, cyclosporine) given by a
  // non-systemic route does not count as that agent; route-bound groups (IVIG) need the route.
  const agents = route === 'non-systemic' ? match.agents.filter((a) => !study.agents.get(a)?.systemicOnly) : match.agents;
  const groups = groupsOf(study, agents, match.classes);
  for (const a of agents) {
    for (const g of (route && study.agents.get(a)?.groupsByRoute?.[route]) || []) if (!groups.includes(g)) groups.push(g);
  }
  if (agents.length === 0 && match.agents.length > 0 && match.classes.length === 0) return undefined;

  const span = spanOf(input, asOf, x.problems);
  // Every field from the start, absent ones undefined: one object shape for every record, so
  // the timeline's and the criteria's reads of them stay monomorphic.
  const record: MedicationRecord = {
    ref: entry.ref,
    resourceType: type,
    agents,
    groups,
    matchedByName: match.matchedByName,
    display: match.display,
    status: input.status ? input.status : undefined,
    start: span.start ? span.start : undefined,
    end: span.end ? span.end : undefined,
    ongoing: span.ongoing,
    undated: span.undated,
    route: route ? route : undefined,
    dose: doseOf(study, dosage, names, type === 'MedicationAdministration'),
    stoppedForAdverseReaction: stoppedForAdverseReaction(study, statusReason),
    prednisoneFactor: prednisoneFactor(study, agents),
    problems: x.problems.length > 0 ? x.problems : undefined,
  };
  return record;
}
