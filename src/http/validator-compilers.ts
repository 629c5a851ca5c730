// Two AJV instances, chosen by the part of the request. Bodies are FHIR: no
// coercion, no defaults, nothing removed, so a validated body is byte-for-byte what the client
// sent. Querystrings, params and headers are ours and may be coerced and defaulted.

import { Ajv, type AnySchema, type Options } from 'ajv';
import addFormatsModule from 'ajv-formats';
import type { FastifySchemaCompiler } from 'fastify';

// ajv-formats is CommonJS; under NodeNext its default export arrives wrapped.
const addFormats = addFormatsModule as unknown as (ajv: Ajv) => Ajv;

function makeAjv(options: Options, external: Record<string, unknown>): Ajv {
  const ajv = new Ajv({ ...options, allErrors: false, strict: false, removeAdditional: false });
  addFormats(ajv);
  for (const schema of Object.values(external)) ajv.addSchema(schema as AnySchema);
  return ajv;
}

export function buildValidator(external: Record<string, unknown>): FastifySchemaCompiler<unknown> {
  const bodies = makeAjv({ coerceTypes: false, useDefaults: false }, external);
  const others = makeAjv({ coerceTypes: 'array', useDefaults: true }, external);
  return ({ schema, httpPart }) => (httpPart === 'body' ? bodies : others).compile(schema as AnySchema);
}
