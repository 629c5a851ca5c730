// Which agents and classes a drug is: by code first (RxNorm, ATC, SNOMED rows of
// medications.yaml); only when no code matches, by an ingredient name or synonym as a whole
// word in a coding display or the text (then `matchedByName`). Used for medication records
// and for AllergyIntolerance.code alike.

import type { FhirResource, PatientRecord, RecordEntry } from '../ingest/patient-record.js';
import { key, type CompiledStudy } from './compiled-study.js';
import { isRecord, readCodings, readTexts } from './fhir-values.js';
import type { CodingRef, Route } from './model.js';

export interface DrugIdentity {
  codings: readonly CodingRef[];
  texts: string[];
}

export interface AgentMatch {
  agents: string[];
  /** Classes matched (by code or name); agent groups are added by the caller. */
  classes: string[];
  matchedByName: boolean;
  /** A route fixed by the code itself (ATC J06BA02 is intravascular immune globulin). */
  impliedRoute?: Route;
  display: string;
}

const ROUTES: Route[] = ['oral', 'iv', 'im', 'sc', 'parenteral', 'non-systemic', 'other'];

/**
 * medication[x] of a medication record: a CodeableConcept, or a Reference to a Medication
 * (contained, or elsewhere in the record) whose `code` is used. Both spellings of the element
 * are read, since the resource has already been checked to be a medication record.
 */
export function drugOf(resource: FhirResource, entry: RecordEntry, record: PatientRecord): DrugIdentity {
  const cc = resource['medicationCodeableConcept'];
  if (cc !== undefined) return { codings: readCodings(cc), texts: readTexts(cc) };
  const ref = resource['medicationReference'];
  if (!isRecord(ref)) return { codings: [], texts: [] };
  const texts = typeof ref['display'] === 'string' ? [ref['display']] : [];
  const medication = record.resolve(ref['reference'], entry);
  if (!medication || medication.resourceType !== 'Medication') return { codings: [], texts };
  return { codings: readCodings(medication['code']), texts: [...readTexts(medication['code']), ...texts] };
}

const IMPLIED_ROUTES = new Map(ROUTES.map((r) => [key.impliedRoute(r), r]));

export function matchDrug(study: CompiledStudy, drug: DrugIdentity): AgentMatch | undefined {
  const agents: string[] = [];
  const classes: string[] = [];
  let impliedRoute: Route | undefined;
  for (const c of drug.codings) {
    for (const k of study.index.match(c.system, c.code)) {
      if (k.startsWith('agent:')) push(agents, k.slice(6));
      else if (k.startsWith('class:')) push(classes, k.slice(6));
      else if (k.startsWith('implies-route:')) impliedRoute ??= IMPLIED_ROUTES.get(k);
    }
  }
  let matchedByName = false;
  if (agents.length === 0) {
    for (const text of drug.texts) {
      for (const t of study.names.find(text)) {
        const list = t.kind === 'agent' ? agents : classes;
        if (!list.includes(t.id)) {
          list.push(t.id);
          matchedByName = true;
        }
      }
      for (const classId of study.nameSuffixes.find(text)) {
        if (!classes.includes(classId)) {
          classes.push(classId);
          matchedByName = true;
        }
      }
    }
  }
  if (agents.length === 0 && classes.length === 0) return undefined;
  const display = drug.texts[0] ?? drug.codings[0]?.display ?? drug.codings[0]?.code ?? '';
  const match: AgentMatch = { agents, classes, matchedByName, display };
  if (impliedRoute) match.impliedRoute = impliedRoute;
  return match;
}

function push(list: string[], v: string): void {
  if (!list.includes(v)) list.push(v);
}

/** Agent groups plus classes, before route rules. */
export function groupsOf(study: CompiledStudy, agents: readonly string[], classes: readonly string[]): string[] {
  const groups: string[] = [];
  for (const a of agents) for (const g of study.agents.get(a)?.groups ?? []) push(groups, g);
  for (const c of classes) push(groups, c);
  return groups;
}
