// The `$screen` body: a bare Bundle (legal, as the operation's only resource in-parameter) or
// a Parameters resource with `bundle` and an optional `asOf` [operations; Parameters inv-1].
// Every rejection names the offending parameter, so a client can fix its request without
// guessing.

import { parseIsoDay, type IsoDay } from '../fhir/dates.js';
import { OperationOutcomeError } from '../fhir/errors.js';
import { isTooLateAsOf, latestAsOf } from '../fhir/latest-as-of.js';
import { isJsonObject } from './json-object.js';
import type { FhirResource } from './patient-record.js';

export interface ScreenBody {
  bundle: FhirResource;
  /** From the Parameters `asOf` parameter; the query asOf is reconciled with reconcileAsOf. */
  asOf?: IsoDay;
  /** FHIRPath of the Bundle in the body, to pass on as buildPatientRecord's `rootPath`. */
  bundlePath: string;
  /** FHIRPath of the asOf value, for an asOf conflict's expression. */
  asOfPath?: string;
}

const KNOWN_PARAMETERS = new Set(['bundle', 'asOf']);

export function readScreenBody(body: unknown): ScreenBody {
  if (!isJsonObject(body) || typeof body.resourceType !== 'string') {
    throw new OperationOutcomeError('PRESCREEN_NOT_BUNDLE');
  }
  if (body.resourceType === 'Bundle') return { bundle: body as FhirResource, bundlePath: 'Bundle' };
  if (body.resourceType !== 'Parameters') {
    throw new OperationOutcomeError('PRESCREEN_NOT_BUNDLE', { expression: 'resourceType' });
  }
  return readParameters(body);
}

/**
 * The screening date from the query and the body. Either alone decides; both must agree.
 * A query value must be one strict `YYYY-MM-DD` (a repeated `asOf` is an array: rejected).
 * Undefined means neither was given: the caller picks today (domain code never reads the clock).
 */
export function reconcileAsOf(queryAsOf: unknown, body: Pick<ScreenBody, 'asOf' | 'asOfPath'>): IsoDay | undefined {
  if (queryAsOf === undefined) return body.asOf;
  const fromQuery = parseIsoDay(queryAsOf);
  if (fromQuery === undefined) throw new OperationOutcomeError('PRESCREEN_BAD_ASOF', { detail: 'query parameter asOf' });
  if (body.asOf !== undefined && body.asOf !== fromQuery) {
    throw new OperationOutcomeError('PRESCREEN_ASOF_CONFLICT', body.asOfPath ? { expression: body.asOfPath } : {});
  }
  return fromQuery;
}

/**
 * The day to screen on: reconcileAsOf's, else today (UTC, read by the transport). A day after
 * tomorrow is refused (latest-as-of.ts), naming where it came from and the latest day allowed.
 */
export function screeningDay(queryAsOf: unknown, body: Pick<ScreenBody, 'asOf' | 'asOfPath'>, today: IsoDay): IsoDay {
  const asOf = reconcileAsOf(queryAsOf, body) ?? today;
  if (isTooLateAsOf(asOf, today)) {
    const detail = `The latest asOf today is ${latestAsOf(today)}.`;
    throw new OperationOutcomeError(
      'PRESCREEN_FUTURE_ASOF',
      queryAsOf === undefined && body.asOfPath !== undefined
        ? { expression: body.asOfPath, detail }
        : { detail: `(query parameter asOf) ${detail}` },
    );
  }
  return asOf;
}

function readParameters(body: Record<string, unknown>): ScreenBody {
  const parameters = body.parameter;
  if (!Array.isArray(parameters)) {
    throw new OperationOutcomeError('PRESCREEN_BAD_PARAMETERS', { expression: 'Parameters.parameter' });
  }
  const seen = new Set<string>();
  let result: ScreenBody | undefined;
  let asOf: { value: IsoDay; path: string } | undefined;

  parameters.forEach((parameter: unknown, i) => {
    const path = `Parameters.parameter[${i}]`;
    const bad = () => new OperationOutcomeError('PRESCREEN_BAD_PARAMETERS', { expression: path });
    if (!isJsonObject(parameter) || typeof parameter.name !== 'string') throw bad();
    const name = parameter.name;
    if (!KNOWN_PARAMETERS.has(name) || seen.has(name)) throw bad();
    seen.add(name);
    // [inv-1] exactly one of value[x], resource, part.
    const valueKeys = Object.keys(parameter).filter((k) => /^value[A-Z]/.test(k));
    const kinds = valueKeys.length + (parameter.resource !== undefined ? 1 : 0) + (parameter.part !== undefined ? 1 : 0);
    if (kinds !== 1 || valueKeys.length > 1) throw bad();

    if (name === 'bundle') {
      const resource = parameter.resource;
      if (!isJsonObject(resource) || resource.resourceType !== 'Bundle') {
        throw new OperationOutcomeError('PRESCREEN_BAD_PARAMETERS', { expression: `${path}.resource` });
      }
      result = { bundle: resource as FhirResource, bundlePath: `${path}.resource` };
    } else {
      // asOf is declared `date`: any other value[x] (valueString, valueDateTime) is a bad
      // asOf, not a bad Parameters, so the client hears which value to fix.
      const valuePath = `${path}.valueDate`;
      const day = valueKeys[0] === 'valueDate' ? parseIsoDay(parameter.valueDate) : undefined;
      if (day === undefined) {
        throw new OperationOutcomeError('PRESCREEN_BAD_ASOF', {
          expression: valueKeys[0] === 'valueDate' ? valuePath : path,
        });
      }
      asOf = { value: day, path: valuePath };
    }
  });

  if (!result) throw new OperationOutcomeError('PRESCREEN_BAD_PARAMETERS', { expression: 'Parameters.parameter' });
  if (asOf) {
    result.asOf = asOf.value;
    result.asOfPath = asOf.path;
  }
  return result;
}
