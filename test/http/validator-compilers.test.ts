// style.md rule 9: AJV never changes a FHIR body; querystrings may be coerced.
import { describe, expect, it } from 'vitest';
import { buildValidator } from '../../src/http/validator-compilers.js';

const schema = {
  type: 'object',
  properties: { total: { type: 'integer' }, type: { type: 'string', default: 'collection' } },
  additionalProperties: false,
};

describe('validator compilers', () => {
  it('bodies: no coercion, no defaults, nothing removed', () => {
    const validate = buildValidator({})({ schema, httpPart: 'body', method: 'POST', url: '/x' }) as (d: unknown) => boolean;
    const body = { total: '3', extra: { keep: true } };
    const before = structuredClone(body);
    expect(validate(body)).toBe(false);
    expect(body).toEqual(before);
    const ok = { total: 3 };
    expect(validate(ok)).toBe(true);
    expect(ok).toEqual({ total: 3 });
  });

  it('querystrings: coerced and defaulted', () => {
    const validate = buildValidator({})({ schema: { ...schema, additionalProperties: true }, httpPart: 'querystring', method: 'GET', url: '/x' }) as (
      d: unknown,
    ) => boolean;
    const query: Record<string, unknown> = { total: '3' };
    expect(validate(query)).toBe(true);
    expect(query).toEqual({ total: 3, type: 'collection' });
  });

  it('resolves shared schemas by $id', () => {
    const compile = buildValidator({ Thing: { $id: 'Thing', type: 'object', required: ['resourceType'] } });
    const validate = compile({ schema: { $ref: 'Thing' }, httpPart: 'body', method: 'POST', url: '/x' }) as (d: unknown) => boolean;
    expect(validate({ resourceType: 'Bundle' })).toBe(true);
    expect(validate({})).toBe(false);
  });
});
