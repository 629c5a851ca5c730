// The value sets a kit rule needs a Condition in before it can be met or unknown, for the nightly
// finder's prefilter (a study's entry criterion, study.yaml `entry:`): a patient with no Condition
// coded in one of them is not-met by the rule, so the finder need not read them past their
// Conditions. Only shapes where that holds qualify:
//   condition: {valueSets: […]}          its value sets;
//   all: [...]                           the union over the parts that qualify (one is enough);
//   any: [...]                           the union over the parts, when every part qualifies.
// Anything else (a lab, `not`, an `any` with a part that needs no Condition) does not, and the
// result is undefined: the loader then refuses the rule as an entry criterion.

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** Call it on a rule compileRule accepted. */
export function entryValueSets(rule: unknown): string[] | undefined {
  if (!isObject(rule)) return undefined;
  const keys = Object.keys(rule);
  if (keys.length !== 1) return undefined;
  const key = keys[0]!;
  const value = rule[key];
  if (key === 'condition') {
    const sets = isObject(value) ? value['valueSets'] : undefined;
    return Array.isArray(sets) && sets.length > 0 ? sets.filter((s): s is string => typeof s === 'string') : undefined;
  }
  if ((key === 'all' || key === 'any') && Array.isArray(value)) {
    const parts = value.map(entryValueSets);
    if (key === 'any' && parts.some((p) => p === undefined)) return undefined;
    const union = [...new Set(parts.flatMap((p) => p ?? []))];
    return union.length > 0 ? union : undefined;
  }
  return undefined;
}
