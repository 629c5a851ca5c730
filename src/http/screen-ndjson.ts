// Batch $screen: one Bundle per NDJSON line in, one answer (a ResearchSubject for a study, a
// collection Bundle for the type-level $screen, or, for a bad line, an OperationOutcome) per
// line out, in input order, streamed. Lines are screened one at a time, so memory holds one
// line, whatever the batch size, and each good line is stored in its own transaction before its
// answer is written: a bad line stores nothing and stops nothing.

import { Readable } from 'node:stream';
import type { FastifyBaseLogger, FastifyReply } from 'fastify';
import { OperationOutcomeError } from '../fhir/errors.js';
import { ndjsonLines } from '../ingest/ndjson.js';
import { screeningDay } from '../ingest/read-screen-body.js';
import { renderOperationOutcome } from '../render/operation-outcome.js';
import { toOperationOutcomeError } from './error-handler.js';
import { FHIR_NDJSON } from './fhir-reply.js';
import type { ScreenContext } from './screen-one.js';

/** Screens and stores one line's parsed body, as the route would a single request; its answer. */
export type ScreenLine = (body: unknown, context: ScreenContext) => Promise<unknown>;

type JsonParser = (request: unknown, body: string, done: (error: Error | null, value?: unknown) => void) => void;

function parseLine(parse: JsonParser, text: string): unknown {
  let failed = false;
  let value: unknown;
  // fastify's default parser is synchronous: done runs before parse returns.
  parse(undefined, text, (error, parsed) => {
    failed = error !== null;
    value = parsed;
  });
  if (failed) throw new OperationOutcomeError('PRESCREEN_NOT_JSON');
  return value;
}

export async function screenNdjson(
  input: Readable,
  context: ScreenContext,
  screenLine: ScreenLine,
  log: FastifyBaseLogger,
  reply: FastifyReply,
): Promise<FastifyReply> {
  // A bad or too late query asOf fails the whole request before the stream starts, with a normal status.
  screeningDay(context.queryAsOf, {}, context.today);
  const parse = reply.server.getDefaultJsonParser('error', 'error') as unknown as JsonParser;
  const { canonicalBase, bodyLimit, ndjsonMaxLines } = context.config;

  const outcomeLine = (error: OperationOutcomeError, line: number): string => {
    const outcome = renderOperationOutcome(error, { canonicalBase });
    outcome.issue[0]!.diagnostics = `NDJSON line ${line}`;
    return `${JSON.stringify(outcome)}\n`;
  };

  async function* answer(): AsyncGenerator<string> {
    let screened = 0;
    let ok = 0;
    let failed = 0;
    for await (const item of ndjsonLines(input, { maxLineBytes: bodyLimit })) {
      if (screened >= ndjsonMaxLines) {
        const detail = `The limit is ${ndjsonMaxLines} lines a request (setting NDJSON_MAX_LINES).`;
        yield outcomeLine(new OperationOutcomeError('PRESCREEN_TOO_MANY_LINES', { detail }), item.line);
        // Stop reading: the rest is discarded rather than parsed.
        input.destroy();
        break;
      }
      screened += 1;
      if ('error' in item) {
        failed += 1;
        yield outcomeLine(item.error, item.line);
        continue;
      }
      try {
        // Each line is one screening with its own deadline (SCREEN_TIMEOUT_MS).
        const result = await screenLine(parseLine(parse, item.text), { ...context, deadline: Date.now() + context.config.limits.screenTimeoutMs });
        ok += 1;
        yield `${JSON.stringify(result)}\n`;
      } catch (error) {
        failed += 1;
        const known = toOperationOutcomeError(error);
        if (!known || known.status >= 500) log.error({ line: item.line, err: error }, 'ndjson line failed');
        yield outcomeLine(known ?? new OperationOutcomeError('PRESCREEN_INTERNAL'), item.line);
      }
    }
    log.info({ screened: ok, failed }, 'ndjson batch done');
  }

  return reply.code(200).type(FHIR_NDJSON).send(Readable.from(answer(), { objectMode: false }));
}
