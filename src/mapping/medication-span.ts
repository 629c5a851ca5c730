// A medication record's span (the event's date of a medication record). MedicationStatement
// effective[x]; MedicationRequest validityPeriod, else authoredOn + expectedSupplyDuration ×
// (1 + repeats) days, else authoredOn with no end; MedicationAdministration effective[x];
// MedicationDispense whenHandedOver, else whenPrepared. With no end, a record whose status is
// active/intended/on-hold runs to D; any other ends at its start.

import { addDays, exactDay, type DayRange, type IsoDay } from '../fhir/dates.js';
import { isRecord, readDate, readPeriod, readQuantity, type PeriodRead } from './fhir-values.js';
import type { MedicationRecord } from './model.js';
import { conversionFactor } from './units.js';

const ONGOING = new Set(['active', 'intended', 'on-hold']);

export interface SpanInput {
  resourceType: MedicationRecord['resourceType'];
  status: string | undefined;
  effective?: unknown;
  authoredOn?: unknown;
  validityPeriod?: unknown;
  expectedSupplyDuration?: unknown;
  numberOfRepeatsAllowed?: unknown;
  whenHandedOver?: unknown;
  whenPrepared?: unknown;
}

export interface Span {
  start?: DayRange;
  end?: DayRange;
  ongoing: boolean;
  undated: boolean;
}

function effectiveSpan(value: unknown, problems: string[]): PeriodRead {
  // A dateTime is where the record starts; with no end the status decides (active runs to D).
  if (typeof value === 'string') {
    const d = readDate(value, 'effectiveDateTime', problems);
    return d ? { start: d } : {};
  }
  if (value === undefined) return {};
  return readPeriod(value, 'effectivePeriod', problems);
}

function supplyDays(duration: unknown, repeats: unknown, problems: string[]): number | undefined {
  if (duration === undefined) return undefined;
  const q = readQuantity(duration, 'expectedSupplyDuration', problems);
  if (!q) return undefined;
  const f = conversionFactor(q.unit ?? 'd', 'd');
  if (f === undefined) {
    problems.push(`expectedSupplyDuration unit '${q.unit ?? ''}' is not a duration`);
    return undefined;
  }
  const r = repeats === undefined ? 0 : repeats;
  if (typeof r !== 'number' || !Number.isInteger(r) || r < 0) {
    problems.push('numberOfRepeatsAllowed is not a whole number');
    return undefined;
  }
  return Math.round(q.value * f * (1 + r));
}

export function spanOf(input: SpanInput, asOf: IsoDay, problems: string[]): Span {
  let period: PeriodRead = {};
  switch (input.resourceType) {
    case 'MedicationStatement':
    case 'MedicationAdministration':
      period = effectiveSpan(input.effective, problems);
      break;
    case 'MedicationRequest': {
      const validity = isRecord(input.validityPeriod) ? readPeriod(input.validityPeriod, 'validityPeriod', problems) : {};
      if (validity.start) {
        period = validity;
        break;
      }
      const authored = readDate(input.authoredOn, 'authoredOn', problems);
      if (!authored) break;
      period = { start: authored };
      const days = supplyDays(input.expectedSupplyDuration, input.numberOfRepeatsAllowed, problems);
      if (days !== undefined) period.end = { earliest: addDays(authored.earliest, days), latest: addDays(authored.latest, days) };
      break;
    }
    case 'MedicationDispense': {
      const d = readDate(input.whenHandedOver, 'whenHandedOver', problems) ?? readDate(input.whenPrepared, 'whenPrepared', problems);
      if (d) period = { start: d, end: d };
      break;
    }
  }
  const ongoingStatus = input.status !== undefined && ONGOING.has(input.status);
  const start = period.start;
  if (!start) {
    if (period.end) return ongoingStatus ? { end: period.end, ongoing: false, undated: false } : { start: period.end, end: period.end, ongoing: false, undated: false };
    // An active record with no dates at all is current at D with its start unknown.
    return ongoingStatus ? { end: exactDay(asOf), ongoing: true, undated: true } : { ongoing: false, undated: false };
  }
  if (period.end) return { start, end: period.end, ongoing: false, undated: false };
  if (ongoingStatus) return { start, end: exactDay(asOf), ongoing: true, undated: false };
  return { start, end: start, ongoing: false, undated: false };
}
