// AllergyIntolerance → AllergyRecord: the agent and classes of its code (as for medications),
// and anaphylaxis when any reaction manifestation is in the anaphylaxis set. Dropped:
// verificationStatus refuted / entered-in-error.

import type { RecordEntry } from '../ingest/patient-record.js';
import { key, type CompiledStudy } from './compiled-study.js';
import { Extraction } from './fhirpath-extract.js';
import { isRecord, readCodings, readDate } from './fhir-values.js';
import { groupsOf, type AgentMatch } from './medication-agent.js';
import type { AllergyRecord } from './model.js';
import { ANAPHYLAXIS_VALUE_SET } from './required-ids.js';

const NOT_COUNTED = new Set(['refuted', 'entered-in-error']);

export function readAllergy(study: CompiledStudy, entry: RecordEntry, match: AgentMatch): AllergyRecord | undefined {
  const x = new Extraction(study.extract.AllergyIntolerance, entry.resource);
  const verificationStatus = x.firstString('verificationStatus');
  if (verificationStatus && NOT_COUNTED.has(verificationStatus)) return undefined;
  const clinicalStatus = x.firstString('clinicalStatus');
  const anaphylaxisKey = key.valueSet(ANAPHYLAXIS_VALUE_SET);
  const a: AllergyRecord = {
    ref: entry.ref,
    agents: match.agents,
    groups: groupsOf(study, match.agents, match.classes),
    matchedByName: match.matchedByName,
    display: match.display,
    anaphylaxis: readCodings(x.all('manifestation')).some((c) => study.index.match(c.system, c.code).includes(anaphylaxisKey)),
  };
  if (clinicalStatus) a.clinicalStatus = clinicalStatus;
  if (verificationStatus) a.verificationStatus = verificationStatus;
  const onset = x.one('onset');
  if (typeof onset === 'string') {
    const d = readDate(onset, 'onsetDateTime', x.problems);
    if (d) a.onset = d;
  } else if (isRecord(onset) && 'start' in onset) {
    const d = readDate(onset['start'], 'onsetPeriod', x.problems);
    if (d) a.onset = d;
  }
  const recorded = readDate(x.one('recordedDate'), 'recordedDate', x.problems);
  if (recorded) a.recorded = recorded;
  return a;
}
