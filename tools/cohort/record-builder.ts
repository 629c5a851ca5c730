// Builds one patient's resources in the shapes of a Synthea R4 Bulk Data export: UUID ids,
// `Patient/<id>` subjects, us-core meta.profile, conditional Practitioner/Organization
// references, dateTimes with offsets, product-unit doses with no unit.

import type { Calendar } from './calendar.js';
import type { Rng } from './random.js';
import type { Resource } from './resource.js';
import { SYS, type Coding } from './vocabulary.js';

const PROFILE = 'http://hl7.org/fhir/us/core/StructureDefinition/';
const meta = (profile: string) => ({ profile: [PROFILE + profile] });

export interface Quantity {
  value: number;
  unit?: string;
  system?: string;
  code?: string;
}

/** A UCUM quantity. */
export function qty(value: number, unit: string): Quantity {
  return { value, unit, system: SYS.ucum, code: unit };
}

export function concept(codings: Coding | readonly Coding[], text?: string): Record<string, unknown> {
  const list = Array.isArray(codings) ? [...codings] : [codings as Coding];
  return { coding: list, text: text ?? list[0]?.display };
}

export interface Dose {
  value: number;
  /** `mg` (UCUM), `tablet`, or absent: a product unit with no unit, as Synthea writes it. */
  unit?: 'mg' | 'g' | 'tablet';
}

export interface Timing {
  frequency: number;
  period: number;
  periodUnit: 'd' | 'wk' | 'mo';
}

export const DAILY: Timing = { frequency: 1, period: 1, periodUnit: 'd' };
export const TWICE_DAILY: Timing = { frequency: 2, period: 1, periodUnit: 'd' };
export const WEEKLY: Timing = { frequency: 1, period: 1, periodUnit: 'wk' };

/** How a medication record names its drug. */
export type MedicationForm =
  | { kind: 'concept'; codings: readonly Coding[]; text?: string }
  | { kind: 'contained'; codings: readonly Coding[]; text?: string }
  | { kind: 'reference'; codings: readonly Coding[]; text?: string };

function doseQuantity(d: Dose): Quantity {
  if (d.unit === 'mg' || d.unit === 'g') return qty(d.value, d.unit);
  if (d.unit === 'tablet') {
    return { value: d.value, unit: 'tablet', system: 'http://terminology.hl7.org/CodeSystem/v3-orderableDrugForm', code: 'TAB' };
  }
  return { value: d.value };
}

function dosage(dose: Dose | undefined, timing: Timing | undefined, route: Coding | undefined, text?: string): Record<string, unknown> {
  const out: Record<string, unknown> = { sequence: 1 };
  if (text) out.text = text;
  if (timing) out.timing = { repeat: { ...timing } };
  out.asNeededBoolean = false;
  if (route) out.route = concept(route);
  if (dose) {
    out.doseAndRate = [
      {
        type: { coding: [{ system: 'http://terminology.hl7.org/CodeSystem/dose-rate-type', code: 'ordered', display: 'Ordered' }] },
        doseQuantity: doseQuantity(dose),
      },
    ];
  }
  return out;
}

export class RecordBuilder {
  readonly resources: Resource[] = [];
  readonly patientId: string;
  readonly subject: { reference: string };
  private readonly npi: string;
  private readonly org: string;

  constructor(readonly rng: Rng, readonly cal: Calendar) {
    this.patientId = rng.uuid();
    this.subject = { reference: `Patient/${this.patientId}` };
    this.npi = `99999${String(rng.int(10000, 99999))}`;
    this.org = rng.uuid();
  }

  add<T extends Resource>(r: T): T {
    this.resources.push(r);
    return r;
  }

  private practitioner() {
    return { reference: `Practitioner?identifier=http://hl7.org/fhir/sid/us-npi|${this.npi}` };
  }

  encounter(o: { day: number; endDay?: number; cls: 'AMB' | 'EMER' | 'IMP'; type: Coding; reason?: Coding; status?: string }): string {
    const id = this.rng.uuid();
    const hour = this.rng.int(7, 18);
    const minute = this.rng.int(0, 59);
    const second = this.rng.int(0, 59);
    const start = this.cal.at(o.day, hour, minute, second);
    const end =
      o.endDay !== undefined && o.endDay > o.day
        ? this.cal.dateTime(o.endDay, this.rng)
        : this.cal.at(o.day, hour + 1, minute, second);
    const period = { start, end };
    const enc: Resource = {
      resourceType: 'Encounter',
      id,
      meta: meta('us-core-encounter'),
      identifier: [{ use: 'official', system: 'https://github.com/synthetichealth/synthea', value: id }],
      status: o.status ?? 'finished',
      class: { system: SYS.actCode, code: o.cls },
      type: [concept(o.type)],
      subject: this.subject,
      participant: [{ individual: this.practitioner(), period }],
      period,
      serviceProvider: { reference: `Organization?identifier=https://github.com/synthetichealth/synthea|${this.org}` },
    };
    if (o.reason) enc.reasonCode = [{ coding: [o.reason] }];
    this.add(enc);
    return id;
  }

  condition(o: {
    codings: readonly Coding[];
    onsetDay?: number;
    onsetDate?: boolean;
    recordedDay?: number;
    abatementDay?: number;
    encounter?: string;
    category?: 'encounter-diagnosis' | 'problem-list-item';
    clinical?: string;
    verification?: string;
  }): string {
    const id = this.rng.uuid();
    const category = o.category ?? 'encounter-diagnosis';
    const clinical = o.clinical ?? (o.abatementDay !== undefined ? 'resolved' : 'active');
    const c: Resource = {
      resourceType: 'Condition',
      id,
      meta: meta(category === 'encounter-diagnosis' ? 'us-core-condition-encounter-diagnosis' : 'us-core-condition-problems-health-concerns'),
      // con-5: no clinicalStatus on an entered-in-error condition.
      clinicalStatus: o.verification === 'entered-in-error' ? undefined : { coding: [{ system: 'http://terminology.hl7.org/CodeSystem/condition-clinical', code: clinical }] },
      verificationStatus: {
        coding: [{ system: 'http://terminology.hl7.org/CodeSystem/condition-ver-status', code: o.verification ?? 'confirmed' }],
      },
      category: [
        {
          coding: [
            {
              system: 'http://terminology.hl7.org/CodeSystem/condition-category',
              code: category,
              display: category === 'encounter-diagnosis' ? 'Encounter Diagnosis' : 'Problem List Item',
            },
          ],
        },
      ],
      code: concept(o.codings),
      subject: this.subject,
    };
    if (c.clinicalStatus === undefined) delete c.clinicalStatus;
    if (o.encounter) c.encounter = { reference: `Encounter/${o.encounter}` };
    if (o.onsetDay !== undefined) {
      c.onsetDateTime = o.onsetDate ? this.cal.iso(o.onsetDay) : this.cal.dateTime(o.onsetDay, this.rng);
    }
    if (o.abatementDay !== undefined) c.abatementDateTime = this.cal.dateTime(o.abatementDay, this.rng);
    const recorded = o.recordedDay ?? o.onsetDay;
    if (recorded !== undefined) c.recordedDate = this.cal.dateTime(recorded, this.rng);
    this.add(c);
    return id;
  }

  observation(o: {
    coding: Coding | readonly Coding[];
    day: number;
    category: 'vital-signs' | 'laboratory' | 'exam' | 'survey' | 'social-history';
    encounter?: string;
    value?: Record<string, unknown>;
    referenceRange?: { low?: number; high?: number; unit: string; text?: string };
    interpretation?: string;
    status?: string;
    component?: unknown[];
    dateOnly?: boolean;
  }): string {
    const id = this.rng.uuid();
    const obs: Resource = {
      resourceType: 'Observation',
      id,
      meta: meta(o.category === 'vital-signs' ? 'us-core-vital-signs' : o.category === 'laboratory' ? 'us-core-observation-lab' : 'us-core-observation-clinical-result'),
      status: o.status ?? 'final',
      category: [
        {
          coding: [
            {
              system: 'http://terminology.hl7.org/CodeSystem/observation-category',
              code: o.category,
              display: CATEGORY_DISPLAY[o.category],
            },
          ],
        },
      ],
      code: concept(o.coding),
      subject: this.subject,
    };
    if (o.encounter) obs.encounter = { reference: `Encounter/${o.encounter}` };
    obs.effectiveDateTime = o.dateOnly ? this.cal.iso(o.day) : this.cal.dateTime(o.day, this.rng);
    obs.issued = this.cal.instant(o.day, this.rng);
    if (o.value) Object.assign(obs, o.value);
    if (o.component) obs.component = o.component;
    if (o.interpretation) {
      obs.interpretation = [{ coding: [{ system: SYS.interpretation, code: o.interpretation, display: INTERPRETATION_DISPLAY[o.interpretation] ?? o.interpretation }] }];
    }
    if (o.referenceRange) {
      const rr: Record<string, unknown> = {};
      if (o.referenceRange.low !== undefined) rr.low = qty(o.referenceRange.low, o.referenceRange.unit);
      if (o.referenceRange.high !== undefined) rr.high = qty(o.referenceRange.high, o.referenceRange.unit);
      if (o.referenceRange.text) rr.text = o.referenceRange.text;
      obs.referenceRange = [rr];
    }
    this.add(obs);
    return id;
  }

  /** `medication[x]` for a record, emitting a Medication resource when the form references one. */
  private medication(form: MedicationForm, target: Resource): void {
    const code = concept(form.codings, form.text);
    if (form.kind === 'concept') {
      target.medicationCodeableConcept = code;
    } else if (form.kind === 'contained') {
      target.contained = [{ resourceType: 'Medication', id: 'med1', code }];
      target.medicationReference = { reference: '#med1' };
    } else {
      const id = this.rng.uuid();
      this.add({ resourceType: 'Medication', id, meta: meta('us-core-medication'), code, status: 'active' });
      target.medicationReference = { reference: `Medication/${id}`, display: String(code.text ?? '') };
    }
  }

  medicationRequest(o: {
    med: MedicationForm;
    day: number;
    status: string;
    dose?: Dose;
    timing?: Timing;
    route?: Coding;
    validity?: [number, number];
    supply?: { days: number; repeats: number };
    encounter?: string;
    reason?: string;
    text?: string;
    category?: 'community' | 'inpatient' | 'outpatient';
  }): string {
    const id = this.rng.uuid();
    const cat = o.category ?? 'community';
    const r: Resource = {
      resourceType: 'MedicationRequest',
      id,
      meta: meta('us-core-medicationrequest'),
      status: o.status,
      intent: 'order',
      category: [
        {
          coding: [{ system: 'http://terminology.hl7.org/CodeSystem/medicationrequest-category', code: cat, display: cat[0]!.toUpperCase() + cat.slice(1) }],
          text: cat[0]!.toUpperCase() + cat.slice(1),
        },
      ],
    };
    this.medication(o.med, r);
    r.subject = this.subject;
    if (o.encounter) r.encounter = { reference: `Encounter/${o.encounter}` };
    r.authoredOn = this.cal.dateTime(o.day, this.rng);
    r.requester = this.practitioner();
    if (o.reason) r.reasonReference = [{ reference: `Condition/${o.reason}` }];
    if (o.dose || o.timing) r.dosageInstruction = [dosage(o.dose, o.timing, o.route, o.text)];
    if (o.validity || o.supply) {
      const dr: Record<string, unknown> = {};
      if (o.validity) dr.validityPeriod = { start: this.cal.iso(o.validity[0]), end: this.cal.iso(o.validity[1]) };
      if (o.supply) {
        dr.numberOfRepeatsAllowed = o.supply.repeats;
        dr.expectedSupplyDuration = { value: o.supply.days, unit: 'days', system: SYS.ucum, code: 'd' };
      }
      r.dispenseRequest = dr;
    }
    this.add(r);
    return id;
  }

  medicationStatement(o: {
    med: MedicationForm;
    start?: number;
    end?: number;
    status: string;
    dose?: Dose;
    timing?: Timing;
    route?: Coding;
    text?: string;
    asserted: number;
    reasonCode?: Coding;
  }): string {
    const id = this.rng.uuid();
    const s: Resource = { resourceType: 'MedicationStatement', id, status: o.status };
    this.medication(o.med, s);
    s.subject = this.subject;
    if (o.start !== undefined) {
      const period: Record<string, string> = { start: this.cal.iso(o.start) };
      if (o.end !== undefined) period.end = this.cal.iso(o.end);
      s.effectivePeriod = period;
    }
    s.dateAsserted = this.cal.iso(o.asserted);
    if (o.reasonCode) s.statusReason = [concept(o.reasonCode)];
    if (o.dose || o.timing) s.dosage = [dosage(o.dose, o.timing, o.route, o.text)];
    this.add(s);
    return id;
  }

  medicationAdministration(o: {
    med: MedicationForm;
    day: number;
    status: string;
    dose?: Dose;
    route?: Coding;
    encounter?: string;
    hour?: number;
  }): string {
    const id = this.rng.uuid();
    const a: Resource = { resourceType: 'MedicationAdministration', id, status: o.status };
    this.medication(o.med, a);
    a.subject = this.subject;
    if (o.encounter) a.context = { reference: `Encounter/${o.encounter}` };
    a.effectiveDateTime =
      o.hour === undefined ? this.cal.dateTime(o.day, this.rng) : this.cal.at(o.day, o.hour, this.rng.int(0, 59), this.rng.int(0, 59));
    const d: Record<string, unknown> = {};
    if (o.route) d.route = concept(o.route);
    if (o.dose) d.dose = doseQuantity(o.dose);
    if (Object.keys(d).length > 0) a.dosage = d;
    this.add(a);
    return id;
  }

  procedure(o: { coding: Coding; day: number; encounter?: string; status?: string; minutes?: number; reason?: Coding }): string {
    const id = this.rng.uuid();
    const start = this.cal.dateTime(o.day, this.rng);
    const p: Resource = {
      resourceType: 'Procedure',
      id,
      meta: meta('us-core-procedure'),
      status: o.status ?? 'completed',
      code: concept(o.coding),
      subject: this.subject,
    };
    if (o.encounter) p.encounter = { reference: `Encounter/${o.encounter}` };
    p.performedPeriod = { start, end: start };
    if (o.reason) p.reasonCode = [concept(o.reason)];
    this.add(p);
    return id;
  }

  immunization(o: { cvx: Coding; day: number; encounter?: string }): string {
    const id = this.rng.uuid();
    const im: Resource = {
      resourceType: 'Immunization',
      id,
      meta: meta('us-core-immunization'),
      status: 'completed',
      vaccineCode: concept(o.cvx),
      patient: this.subject,
    };
    if (o.encounter) im.encounter = { reference: `Encounter/${o.encounter}` };
    im.occurrenceDateTime = this.cal.dateTime(o.day, this.rng);
    im.primarySource = true;
    this.add(im);
    return id;
  }

  allergy(o: { code: Coding; category: string; day: number; manifestation?: Coding; criticality?: string; verification?: string }): string {
    const id = this.rng.uuid();
    const a: Resource = {
      resourceType: 'AllergyIntolerance',
      id,
      meta: meta('us-core-allergyintolerance'),
      clinicalStatus: { coding: [{ system: 'http://terminology.hl7.org/CodeSystem/allergyintolerance-clinical', code: 'active' }] },
      verificationStatus: { coding: [{ system: 'http://terminology.hl7.org/CodeSystem/allergyintolerance-verification', code: o.verification ?? 'confirmed' }] },
      type: 'allergy',
      category: [o.category],
      criticality: o.criticality ?? 'low',
      code: concept(o.code),
      patient: this.subject,
      recordedDate: this.cal.dateTime(o.day, this.rng),
    };
    if (o.manifestation) a.reaction = [{ manifestation: [concept(o.manifestation)] }];
    this.add(a);
    return id;
  }

  /** A relative's condition; `relationship` undefined writes an uncoded relationship (text only). */
  familyMemberHistory(o: { relationship?: Coding; codings: readonly Coding[]; day: number }): string {
    const id = this.rng.uuid();
    this.add({
      resourceType: 'FamilyMemberHistory',
      id,
      status: 'completed',
      patient: this.subject,
      date: this.cal.iso(o.day),
      // relationship is 1..1 in R4: an uncoded one still says who in text.
      relationship: o.relationship ? concept(o.relationship) : { text: 'relative' },
      condition: [{ code: concept(o.codings) }],
    });
    return id;
  }
}

const CATEGORY_DISPLAY: Record<string, string> = {
  'vital-signs': 'Vital signs',
  laboratory: 'Laboratory',
  exam: 'Exam',
  survey: 'Survey',
  'social-history': 'Social history',
};

const INTERPRETATION_DISPLAY: Record<string, string> = {
  N: 'Normal',
  H: 'High',
  HH: 'Critical high',
  L: 'Low',
  POS: 'Positive',
  NEG: 'Negative',
  DET: 'Detected',
  ND: 'Not detected',
  A: 'Abnormal',
};
