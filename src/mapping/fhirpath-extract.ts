// The only place fhirpath is imported. Each expression of extract.yaml is compiled once with
// the R4 model. A plain member path is walked directly (see compilePlainPath); anything else is
// evaluated by fhirpath.js on a structuredClone of the one resource, because fhirpath.js adds
// `__path__` to what it touches and the record belongs to the caller.

import fhirpath from 'fhirpath';
import r4 from 'fhirpath/fhir-context/r4';
import { isWithinDepth } from '../ingest/max-depth.js';
import type { FhirResource } from '../ingest/patient-record.js';
import { MappingError } from './mapping-error.js';
import { EXTRACT_FIELDS, type ExtractField, type ExtractFile, type ExtractType } from './schema.js';

type Evaluator = (resource: unknown) => unknown[];

/**
 * One compiled field, with what Extraction needs to know about it worked out once at start-up,
 * so that a read does no lookup (a WeakMap of evaluators costs about as much as the read itself).
 */
interface CompiledField {
  evaluate: Evaluator;
  /** A plain path only reads; fhirpath.js annotates what it touches and gets a private clone. */
  readsOriginal: boolean;
  /** The element names of a one-step plain path: one() and firstString() read them in place. */
  oneStep: readonly string[] | undefined;
  /**
   * For a one-step choice element (`value` → `valueQuantity`, `valueString`, … eleven names):
   * the element name and its variants. one() then scans the resource's own keys, a few, instead
   * of looking up every variant: a lookup of an absent key is the slow kind.
   */
  choice: { element: string; variants: ReadonlySet<string> } | undefined;
}

export type CompiledExtract = { [T in ExtractType]: Record<ExtractField<T>, CompiledField> };

export function compileExtract(file: ExtractFile, fileName: string): CompiledExtract {
  const out: Record<string, Record<string, CompiledField>> = {};
  for (const type of Object.keys(EXTRACT_FIELDS) as ExtractType[]) {
    const fields: Record<string, CompiledField> = {};
    for (const field of EXTRACT_FIELDS[type]) {
      const expression = (file[type] as Record<string, string>)[field]!;
      const path = `/${type}/${field}`;
      if (!expression.startsWith(`${type}.`) && expression !== type) {
        throw new MappingError(fileName, path, `the expression must start with '${type}.'`);
      }
      let compiled: Evaluator;
      try {
        compiled = fhirpath.compile(expression, r4) as Evaluator;
      } catch (err) {
        const why = err instanceof Error ? err.message.split('\n')[0] : String(err);
        throw new MappingError(fileName, path, `FHIRPath '${expression}' does not compile: ${why}`);
      }
      const plain = compilePlainPath(expression, type);
      fields[field] = plain
        ? { evaluate: plain, readsOriginal: true, oneStep: ONE_STEP.get(plain)?.keys, choice: ONE_STEP.get(plain)?.choice }
        : { evaluate: compiled, readsOriginal: false, oneStep: undefined, choice: undefined };
    }
    out[type] = fields;
  }
  return out as CompiledExtract;
}

/** The element names of a one-step plain path, and its choice (see CompiledField). */
const ONE_STEP = new WeakMap<Evaluator, { keys: readonly string[]; choice: CompiledField['choice'] }>();

interface R4Model {
  choiceTypePaths: Record<string, string[]>;
  path2Type: Record<string, string>;
}

const MODEL = r4 as unknown as R4Model;

/**
 * Most mapping expressions are plain member paths (`Observation.referenceRange.high`). For
 * those, FHIRPath's answer is fixed by the R4 model: walk the elements, flatten arrays, and
 * expand a choice element (`onset` → `onsetDateTime`, `onsetAge`, … in the model's order).
 * Walking them directly costs a property read instead of a fhirpath.js evaluation (which would
 * be the bulk of screening), and reads the caller's object without cloning it, since
 * nothing is annotated. Anything else — functions, filters, `where`, a path the model does not
 * type — stays with fhirpath.js. test/mapping/plain-path.test.ts holds the two to the same
 * answers over every expression of extract.yaml and a corpus of resources.
 */
export function compilePlainPath(expression: string, type: string): Evaluator | undefined {
  const match = new RegExp(`^${type}((?:\\.[A-Za-z]+)+)$`).exec(expression);
  if (!match) return undefined;
  const steps: { keys: string[]; choiceOf?: string }[] = [];
  let typePath = type;
  for (const element of match[1]!.slice(1).split('.')) {
    const path = `${typePath}.${element}`;
    const choices = MODEL.choiceTypePaths[path];
    if (choices) {
      steps.push({ keys: choices.map((suffix) => element + suffix), choiceOf: element });
      // The next element would be typed by whichever choice is present: leave that to fhirpath.
      typePath = '';
      continue;
    }
    if (typePath === '') return undefined;
    const elementType = MODEL.path2Type[path];
    if (elementType === undefined) {
      // A choice variant R4 does not list (`Condition.abatementBoolean`, from STU3) is a JSON
      // key fhirpath.js reads as it stands; as the last step, the walk below reads it the same.
      if (!isUnlistedChoiceVariant(typePath, element)) return undefined;
      steps.push({ keys: [element] });
      typePath = '';
      continue;
    }
    steps.push({ keys: [element] });
    typePath = elementType === 'BackboneElement' || elementType === 'Element' ? path : elementType;
  }
  if (steps.length === 0) return undefined;
  const only = steps.length === 1 ? steps[0]!.keys : undefined;
  if (only) {
    // One step (`Observation.status`, `Observation.effective`): most fields, read without the
    // walk below.
    const evaluate: Evaluator = (resource) => {
      const out: unknown[] = [];
      if (typeof resource !== 'object' || resource === null || Array.isArray(resource)) return out;
      for (const key of only) {
        const value = (resource as Record<string, unknown>)[key];
        if (value === undefined || value === null) continue;
        if (Array.isArray(value)) {
          for (const item of value) if (item !== undefined && item !== null) out.push(item);
        } else {
          out.push(value);
        }
      }
      return out;
    };
    const element = steps[0]!.choiceOf;
    ONE_STEP.set(evaluate, { keys: only, choice: element === undefined ? undefined : { element, variants: new Set(only) } });
    return evaluate;
  }
  // Depth first, straight into one result array: the leaves come out in the same order as a
  // step-by-step walk (each level keeps its parents' order), without a list per step.
  const last = steps.length;
  const walk = (node: unknown, step: number, out: unknown[]): void => {
    if (step === last) {
      out.push(node);
      return;
    }
    if (typeof node !== 'object' || node === null || Array.isArray(node)) return;
    for (const key of steps[step]!.keys) {
      const value = (node as Record<string, unknown>)[key];
      if (value === undefined || value === null) continue;
      if (Array.isArray(value)) {
        for (const item of value) if (item !== undefined && item !== null) walk(item, step + 1, out);
      } else {
        walk(value, step + 1, out);
      }
    }
  };
  const evaluate: Evaluator = (resource) => {
    const out: unknown[] = [];
    walk(resource, 0, out);
    return out;
  };
  return evaluate;
}

/** `abatementBoolean` on Condition: a name made of a choice element (`abatement`) and a type. */
function isUnlistedChoiceVariant(typePath: string, element: string): boolean {
  for (let i = 1; i < element.length; i++) {
    const c = element.charCodeAt(i);
    if (c >= 65 && c <= 90 && MODEL.choiceTypePaths[`${typePath}.${element.slice(0, i)}`]) return true;
  }
  return false;
}

/** One resource's extraction: a private clone, and the problems met while reading it. */
export class Extraction<F extends string> {
  private clone: unknown;
  readonly problems: string[] = [];
  /** one()'s count of values so far, and the first. */
  private seen = 0;
  private seenFirst: unknown = undefined;

  constructor(
    private readonly fields: Record<F, CompiledField>,
    private readonly resource: FhirResource,
  ) {}

  all(field: F): unknown[] {
    const compiled = this.fields[field];
    if (!compiled.readsOriginal && this.clone === undefined && !isWithinDepth(this.resource)) {
      // fhirpath.js and structuredClone recurse into what they are given, and nothing before
      // them held this resource to a depth (max-depth.ts).
      this.problems.push(`${field} could not be read: the resource is nested too deeply`);
      return [];
    }
    try {
      const input = compiled.readsOriginal ? this.resource : (this.clone ??= structuredClone(this.resource));
      const result = compiled.evaluate(input);
      return Array.isArray(result) ? result : [];
    } catch {
      this.problems.push(`${field} could not be read`);
      return [];
    }
  }

  /**
   * The resource as a one-step path reads it; undefined (nothing to read) when it is not an
   * object, as the evaluator answers. Reading a parsed JSON object cannot throw, so all()'s
   * `could not be read` cannot arise here.
   */
  private plainResource(): Record<string, unknown> | undefined {
    const r: unknown = this.resource;
    return typeof r === 'object' && r !== null && !Array.isArray(r) ? (r as Record<string, unknown>) : undefined;
  }

  /** The single value of a field; several values where one belongs is a problem, not a guess. */
  one(field: F): unknown {
    const compiled = this.fields[field];
    this.seen = 0;
    this.seenFirst = undefined;
    if (compiled.oneStep) {
      // What all() would return, counted in place.
      const resource = this.plainResource();
      if (!resource) return undefined;
      const choice = compiled.choice;
      if (choice) {
        // From the keys the resource has; order does not matter, since more than one value is
        // a problem whichever came first.
        for (const key in resource) if (key.startsWith(choice.element) && choice.variants.has(key)) this.see(resource[key]);
      } else {
        for (const key of compiled.oneStep) this.see(resource[key]);
      }
    } else {
      const values = this.all(field);
      this.seen = values.length;
      this.seenFirst = values[0];
    }
    if (this.seen > 1) {
      this.problems.push(`${field} has ${this.seen} values where one was expected`);
      return undefined;
    }
    return this.seenFirst;
  }

  /** Counts what one element holds as all() would list it: a list's items, nothing for null. */
  private see(value: unknown): void {
    if (value === undefined || value === null) return;
    if (!Array.isArray(value)) {
      if (this.seen++ === 0) this.seenFirst = value;
      return;
    }
    for (const item of value) {
      if (item === undefined || item === null) continue;
      if (this.seen++ === 0) this.seenFirst = item;
    }
  }

  /** The first coded value (statuses with several codings keep the first). */
  firstString(field: F): string | undefined {
    const keys = this.fields[field].oneStep;
    if (!keys) {
      const v = this.all(field).find((x) => typeof x === 'string');
      return typeof v === 'string' ? v : undefined;
    }
    const resource = this.plainResource();
    if (!resource) return undefined;
    for (const key of keys) {
      const value = resource[key];
      if (typeof value === 'string') return value;
      if (Array.isArray(value)) for (const item of value) if (typeof item === 'string') return item;
    }
    return undefined;
  }
}
