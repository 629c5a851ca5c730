// Test inputs for the HTTP tests: the shared dm-candidate example (a woman with DM whom the
// data leave a candidate; test/fixtures/shared/), fresh for each use so no test can change
// another's input.

import { readFileSync } from 'node:fs';
import type { FastifyInstance, LightMyRequestResponse } from 'fastify';

const raw = readFileSync(new URL('../fixtures/shared/dm-candidate.json', import.meta.url), 'utf8');

export const CANDIDATE_AS_OF = (JSON.parse(raw) as { asOf: string }).asOf;

export type Json = Record<string, any>;

export function candidateBundle(): Json {
  return (JSON.parse(raw) as { bundle: Json }).bundle;
}

export function asParameters(bundle: Json, asOf?: string): Json {
  const parameter: Json[] = [{ name: 'bundle', resource: bundle }];
  if (asOf) parameter.push({ name: 'asOf', valueDate: asOf });
  return { resourceType: 'Parameters', parameter };
}

export const SCREEN_URL = '/ResearchStudy/belimumab-iim/$screen';

export function screen(
  app: FastifyInstance,
  body: unknown,
  options: { asOf?: string; contentType?: string; headers?: Record<string, string>; url?: string } = {},
): Promise<LightMyRequestResponse> {
  const query = options.asOf === undefined ? '' : `?asOf=${options.asOf}`;
  return app.inject({
    method: 'POST',
    url: (options.url ?? SCREEN_URL) + query,
    headers: { 'content-type': options.contentType ?? 'application/fhir+json', ...options.headers },
    payload: typeof body === 'string' || Buffer.isBuffer(body) ? body : JSON.stringify(body),
  });
}

/** The issue of a one-issue OperationOutcome, with the parts tests assert. */
export function issueOf(response: LightMyRequestResponse): { code: string; coding: string; expression?: string[]; text: string } {
  const body = response.json() as Json;
  if (body.resourceType !== 'OperationOutcome') throw new Error(`expected an OperationOutcome, got ${body.resourceType}`);
  const issue = body.issue[0];
  return {
    code: issue.code,
    coding: issue.details.coding[0].code,
    text: issue.details.text,
    ...(issue.expression ? { expression: issue.expression } : {}),
  };
}

/** The criterion extensions of a ResearchSubject as {id: {result, manual}}. */
export function criterionResults(subject: Json): Record<string, { result: string; manual: boolean }> {
  const evaluation = subject.extension[0].extension as Json[];
  const out: Record<string, { result: string; manual: boolean }> = {};
  for (const c of evaluation.filter((e) => e.url === 'criterion')) {
    const part = (name: string) => (c.extension as Json[]).find((p) => p.url === name);
    out[part('id')!.valueCode] = { result: part('result')!.valueCode, manual: part('manual')!.valueBoolean };
  }
  return out;
}
