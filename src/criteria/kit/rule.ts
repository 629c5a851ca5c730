// A study's rule, as its YAML writes it, compiled once at load into a function of the model.
// A rule is a node, an object with exactly one key:
//
//   all: [node, …]        Kleene AND (kleene.ts)
//   any: [node, …]        Kleene OR
//   not: node             Kleene NOT
//   <block name>: params  a block of the registry, its params checked against its schema
//
//   rule:
//     any:
//       - all: [{ latest-value: { tests: [egfr], within: { days: 90 }, atLeast: 25, below: 50 } }, …]
//
// A mistake throws a RuleError whose path (`/any/0/all/1/latest-value/within`) points at it,
// for the loader to report with the file and line.

import Value from 'typebox/value';
import type { EligibilityModel } from '../../mapping/model.js';
import type { Criterion, CriterionType } from '../types.js';
import { all, any, not } from './kleene.js';
import { toCriterionOutcome, type KitOutcome } from './outcome.js';
import { BLOCKS } from './registry.js';

export type CompiledRule = (model: EligibilityModel) => KitOutcome;

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

export function compileRule(node: unknown, path = ''): CompiledRule {
  if (!isPlainObject(node)) throw new RuleError(path, 'a rule is an object with one key: all, any, not or a block name');
  const keys = Object.keys(node);
  if (keys.length !== 1) throw new RuleError(path, `a rule has exactly one key (all, any, not or a block name), not ${keys.length}: ${keys.join(', ')}`);
  const key = keys[0]!;
  const value = node[key];
  const here = `${path}/${key}`;
  if (key === 'all' || key === 'any') {
    if (!Array.isArray(value) || value.length === 0) throw new RuleError(here, `${key} takes a list of at least one rule`);
    const parts = value.map((v, i) => compileRule(v, `${here}/${i}`));
    const combine = key === 'all' ? all : any;
    return (model) => combine(parts.map((p) => p(model)));
  }
  if (key === 'not') {
    const part = compileRule(value, here);
    return (model) => not(part(model));
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
  return (model) => block.evaluate(model, params);
}

/** A criterion whose rule is a kit rule: the id and type come from the study, not the kit. */
export function ruleCriterion(id: string, type: CriterionType, rule: unknown): Criterion {
  const evaluate = compileRule(rule);
  return { id, type, evaluate: (model) => toCriterionOutcome(evaluate(model)) };
}
