// Keying stored candidate lines by Type/id (batch/stored-lines.ts) with a scan of the top-level
// members (batch/top-level-members.ts) instead of a parse: the scan must give exactly what the
// parse gives, for every shape a line may take, and hand back to the parse what it cannot read.

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parsedTypeAndId, typeAndId } from '../../src/batch/stored-lines.js';
import { topLevelStrings } from '../../src/batch/top-level-members.js';

const KEYS = ['resourceType', 'id'] as const;

describe('topLevelStrings', () => {
  it('reads top-level string members, the last of two, and skips nested ones', () => {
    expect(topLevelStrings('{"resourceType":"Observation","id":"o1"}', KEYS)).toEqual(['Observation', 'o1']);
    expect(topLevelStrings(' { "contained" : [ {"id":"inner","resourceType":"Medication"} ], "id" : "top" , "resourceType":"MedicationRequest" } ', KEYS)).toEqual(['MedicationRequest', 'top']);
    expect(topLevelStrings('{"id":"a","resourceType":"X","id":"b"}', KEYS)).toEqual(['X', 'b']);
    expect(topLevelStrings('{"note":[{"text":"a \\" } ] { \\\\"}],"id":"n1","resourceType":"Y"}', KEYS)).toEqual(['Y', 'n1']);
    expect(topLevelStrings('{"valueInteger":-12.5e3,"flag":true,"none":null,"resourceType":"Z"}', KEYS)).toEqual(['Z', null]);
    expect(topLevelStrings('{}', KEYS)).toEqual([null, null]);
  });

  it('leaves to a parse what it does not read: escapes, non-strings, non-objects', () => {
    expect(topLevelStrings('{"resourceType":"Obs\\u0065rvation","id":"o1"}', KEYS)).toEqual([undefined, 'o1']);
    expect(topLevelStrings('{"resourc\\u0065Type":"Observation","id":"o1"}', KEYS)).toEqual([undefined, undefined]);
    expect(topLevelStrings('{"resourceType":"Patient","id":7}', KEYS)).toEqual(['Patient', undefined]);
    expect(topLevelStrings('["resourceType","id"]', KEYS)).toEqual([undefined, undefined]);
  });
});

/** Any JSON value, with strings that hold quotes, backslashes, braces and non-ASCII text. */
const jsonValue = fc.letrec((tie) => ({
  value: fc.oneof(
    { depthSize: 'small' },
    fc.string({ unit: 'grapheme' }),
    fc.constantFrom('"', '\\', '}', ']', '{"id":"x"}', 'a\\"b', '\u2028', 'é'),
    fc.integer(),
    fc.double({ noNaN: true, noDefaultInfinity: true }),
    fc.boolean(),
    fc.constant(null),
    fc.array(tie('value'), { maxLength: 4 }),
    fc.dictionary(fc.constantFrom('id', 'resourceType', 'x', 'a"b', 'c\\d'), tie('value'), { maxKeys: 4 }),
  ),
}));

describe('typeAndId', () => {
  it('keys a line exactly as parsing it does, whatever its members, their order and spacing', () => {
    fc.assert(
      fc.property(
        fc.dictionary(fc.constantFrom('status', 'subject', 'contained', 'meta', 'x"y', 'z\\'), jsonValue.value, { maxKeys: 5 }),
        fc.option(fc.oneof(fc.constantFrom('Observation', 'Med"ication', 'Pa\\tient', 'line\nbreak'), fc.string()), { nil: undefined }),
        fc.option(fc.oneof(fc.string({ unit: 'grapheme' }), fc.integer()), { nil: undefined }),
        fc.nat(),
        fc.boolean(),
        (members, type, id, position, spaced) => {
          const entries: [string, unknown][] = Object.entries(members);
          if (type !== undefined) entries.splice(position % (entries.length + 1), 0, ['resourceType', type]);
          if (id !== undefined) entries.splice((position >> 3) % (entries.length + 1), 0, ['id', id]);
          const line = JSON.stringify(Object.fromEntries(entries), null, spaced ? 1 : undefined).replace(/\n/g, ' ');
          expect(typeAndId(line)).toEqual(parsedTypeAndId(line));
        },
      ),
      { numRuns: 2000 },
    );
  });

  it('keys duplicated and escaped members as the parse does', () => {
    for (const line of [
      '{"id":"first","resourceType":"Observation","id":"second"}',
      '{"resourceType":"Observation","resourceType":"Condition","id":"c"}',
      '{"resourc\\u0065Type":"Condition","id":"c","resourceType":"Observation"}',
      '{"resourceType":"Observation","id":"\\u006f1"}',
      '{"resourceType":"Observation"}',
      '{"resourceType":"Observation","id":null}',
    ]) {
      expect(typeAndId(line)).toEqual(parsedTypeAndId(line));
    }
    expect(typeAndId('{"resourceType":"Observation","id":"\\u006f1"}')).toEqual({ type: 'Observation', id: 'o1' });
  });
});
