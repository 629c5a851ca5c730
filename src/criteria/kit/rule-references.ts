// The ids a compiled kit rule names, each with the path that names it, so the study loader can
// check them against the study's mapping folder and point at the line of a wrong one. Read from
// the blocks' parameter names, which mean the same in every block:
//
//   valueSets, metWhen, notMetWhen  value sets (value-sets.yaml)
//   tests                           labs or measures (labs.yaml, assessments.yaml)
//   derived[].from                  labs (labs.yaml)
//   classes                         medication classes: an agent, a class or an agents' group
//                                   (medications.yaml)
//   naming                          rules, whose ids count as this rule's
// A `same-as` node names ids of another study's criterion: the loader adds those itself.

export type ReferenceKind = 'value set' | 'test' | 'lab' | 'medication class';

export interface RuleReference {
  kind: ReferenceKind;
  id: string;
  /** JSON pointer inside the rule: `/all/1/condition/valueSets/0`. */
  path: string;
}

const ID_LISTS: ReadonlyMap<string, ReferenceKind> = new Map<string, ReferenceKind>([
  ['valueSets', 'value set'],
  ['metWhen', 'value set'],
  ['notMetWhen', 'value set'],
  ['tests', 'test'],
  ['classes', 'medication class'],
]);

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function strings(v: unknown): string[] {
  return Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : [];
}

/** Every id the rule names; call it on a rule compileRule accepted. */
export function ruleReferences(node: unknown, path = ''): RuleReference[] {
  if (!isObject(node)) return [];
  const out: RuleReference[] = [];
  for (const [key, value] of Object.entries(node)) {
    const here = `${path}/${key}`;
    if (key === 'all' || key === 'any') {
      if (Array.isArray(value)) value.forEach((v, i) => out.push(...ruleReferences(v, `${here}/${i}`)));
    } else if (key === 'not') {
      out.push(...ruleReferences(value, here));
    } else if (isObject(value)) {
      for (const [param, kind] of ID_LISTS) strings(value[param]).forEach((id, i) => out.push({ kind, id, path: `${here}/${param}/${i}` }));
      if (Array.isArray(value['naming'])) value['naming'].forEach((n, i) => out.push(...ruleReferences(n, `${here}/naming/${i}`)));
      if (Array.isArray(value['derived'])) {
        value['derived'].forEach((d, j) => {
          if (isObject(d)) strings(d['from']).forEach((id, i) => out.push({ kind: 'lab', id, path: `${here}/derived/${j}/from/${i}` }));
        });
      }
    }
  }
  return out;
}

/** The `same-as` nodes of a rule (study and criterion), with their paths. */
export function sameAsReferences(node: unknown, path = ''): { study: string; criterion: string; path: string }[] {
  if (!isObject(node)) return [];
  const out: { study: string; criterion: string; path: string }[] = [];
  for (const [key, value] of Object.entries(node)) {
    const here = `${path}/${key}`;
    if (key === 'same-as' && isObject(value) && typeof value['study'] === 'string' && typeof value['criterion'] === 'string') {
      out.push({ study: value['study'], criterion: value['criterion'], path: here });
    } else if (key === 'all' || key === 'any') {
      if (Array.isArray(value)) value.forEach((v, i) => out.push(...sameAsReferences(v, `${here}/${i}`)));
    } else if (key === 'not') {
      out.push(...sameAsReferences(value, here));
    } else if (isObject(value) && Array.isArray(value['naming'])) {
      value['naming'].forEach((n, i) => out.push(...sameAsReferences(n, `${here}/naming/${i}`)));
    }
  }
  return out;
}
