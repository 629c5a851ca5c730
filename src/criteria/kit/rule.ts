// A study's rule, as its YAML writes it, compiled once at load into a function of the model.
// A rule is a node, an object with exactly one key:
//
//   all: [node, …]        Kleene AND (kleene.ts)
//   any: [node, …]        Kleene OR
//   not: node             Kleene NOT
//   <block name>: params  a block of the registry, its params checked against its schema
//   same-as: { study, criterion }
//                         another study's criterion, word for word (malignancy within 5 years):
//                         resolved when the study folder is loaded (RuleContext), to that
//                         criterion's rule or TypeScript criterion
//
// A block parameter named `naming` is a list of rules compiled with the node (manual.ts).
//
//   rule:
//     any:
//       - all: [{ latest-value: { tests: [egfr], within: { days: 90 }, atLeast: 25, below: 50 } }, …]
//
// A mistake throws a RuleError whose path (`/any/0/all/1/latest-value/within`) points at it,
// for the loader to report with the file and line.

import Type from 'typebox';
import Value from 'typebox/value';
import type { EligibilityModel } from '../../mapping/model.js';
import type { Criterion, CriterionType } from '../types.js';
import { all, any, not } from './kleene.js';
import { withFindings } from './blocks/manual.js';
import { toCriterionOutcome, type KitOutcome } from './outcome.js';
import { BLOCKS } from './registry.js';

export type CompiledRule = (model: EligibilityModel) => KitOutcome;

/** What a rule needs from outside itself: the study loader resolves `same-as`. */
export interface RuleContext {
  /** The named criterion of another study as a compiled rule; throws an Error saying what is wrong. */
  sameAs(study: string, criterion: string): CompiledRule;
}

const SameAsParams = Type.Object(
  { study: Type.String({ minLength: 1 }), criterion: Type.String({ minLength: 1 }) },
  { additionalProperties: false },
);

export class RuleError extends Error {
  constructor(
    readonly path: string,
    readonly detail: string,
  ) {
    super(`${path || '/'}: ${detail}`);
    this.name = 'RuleError';
  }
}

function isPlainObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

export function compileRule(node: unknown, path = '', context?: RuleContext): CompiledRule {
  if (!isPlainObject(node)) throw new RuleError(path, 'a rule is an object with one key: all, any, not or a block name');
  const keys = Object.keys(node);
  if (keys.length !== 1) throw new RuleError(path, `a rule has exactly one key (all, any, not or a block name), not ${keys.length}: ${keys.join(', ')}`);
  const key = keys[0]!;
  const value = node[key];
  const here = `${path}/${key}`;
  if (key === 'all' || key === 'any') {
    if (!Array.isArray(value) || value.length === 0) throw new RuleError(here, `${key} takes a list of at least one rule`);
    const parts = value.map((v, i) => compileRule(v, `${here}/${i}`, context));
    const combine = key === 'all' ? all : any;
    return (model) => combine(parts.map((p) => p(model)));
  }
  if (key === 'not') {
    const part = compileRule(value, here, context);
    return (model) => not(part(model));
  }
  if (key === 'same-as') {
    if (!Value.Check(SameAsParams, value)) throw new RuleError(here, 'same-as takes { study: <study id>, criterion: <criterion id> }');
    if (!context) throw new RuleError(here, 'same-as is resolved only in a study folder (study.yaml)');
    try {
      return context.sameAs(value.study, value.criterion);
    } catch (error) {
      if (error instanceof RuleError) throw new RuleError(`${here}${error.path}`, error.detail);
      throw new RuleError(here, error instanceof Error ? error.message : String(error));
    }
  }
  const block = BLOCKS.get(key);
  if (!block) throw new RuleError(here, `unknown block '${key}' (known: all, any, not, ${[...BLOCKS.keys()].join(', ')})`);
  const params = value ?? {};
  if (!Value.Check(block.schema, params)) {
    const errors = [...Value.Errors(block.schema, params)];
    const first = errors.find((e) => e.keyword !== 'boolean' && e.keyword !== 'anyOf') ?? errors[0];
    const extra = (first?.params as { additionalProperties?: unknown } | undefined)?.additionalProperties;
    const detail = Array.isArray(extra) ? ` (${extra.join(', ')})` : '';
    throw new RuleError(`${here}${first?.instancePath ?? ''}`, `${first?.message ?? 'does not match the block parameters'}${detail}`);
  }
  const problem = block.check?.(params);
  if (problem) throw new RuleError(here, problem);
  const naming = (params as { naming?: unknown[] }).naming;
  if (naming) {
    const named = naming.map((n, i) => compileRule(n, `${here}/naming/${i}`, context));
    return (model) => withFindings(block.evaluate(model, params), named.map((n) => n(model)));
  }
  return (model) => block.evaluate(model, params);
}

/** A criterion whose rule is a kit rule: the id and type come from the study, not the kit. */
export function ruleCriterion(id: string, type: CriterionType, rule: unknown, context?: RuleContext): Criterion {
  const evaluate = compileRule(rule, '', context);
  return { id, type, evaluate: (model) => toCriterionOutcome(evaluate(model)) };
}
