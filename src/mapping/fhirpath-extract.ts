// The only place fhirpath is imported. Each expression of extract.yaml is compiled once with
// the R4 model. A plain member path is walked directly (see compilePlainPath); anything else is
// evaluated by fhirpath.js on a structuredClone of the one resource, because fhirpath.js adds
// `__path__` to what it touches (style.md rule 11) and the record belongs to the caller.

import fhirpath from 'fhirpath';
import r4 from 'fhirpath/fhir-context/r4';
import type { FhirResource } from '../ingest/patient-record.js';
import { MappingError } from './mapping-error.js';
import { EXTRACT_FIELDS, type ExtractField, type ExtractFile, type ExtractType } from './schema.js';

type Evaluator = (resource: unknown) => unknown[];
export type CompiledExtract = { [T in ExtractType]: Record<ExtractField<T>, Evaluator> };

export function compileExtract(file: ExtractFile, fileName: string): CompiledExtract {
  const out: Record<string, Record<string, Evaluator>> = {};
  for (const type of Object.keys(EXTRACT_FIELDS) as ExtractType[]) {
    const fields: Record<string, Evaluator> = {};
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
      fields[field] = compilePlainPath(expression, type) ?? compiled;
    }
    out[type] = fields;
  }
  return out as CompiledExtract;
}

/** Whether an evaluator reads the resource itself (plain path) or needs a private clone. */
const READS_ORIGINAL = new WeakSet<Evaluator>();

interface R4Model {
  choiceTypePaths: Record<string, string[]>;
  path2Type: Record<string, string>;
}

const MODEL = r4 as unknown as R4Model;

/**
 * Most mapping expressions are plain member paths (`Observation.referenceRange.high`). For
 * those, FHIRPath's answer is fixed by the R4 model: walk the elements, flatten arrays, and
 * expand a choice element (`onset` → `onsetDateTime`, `onsetAge`, … in the model's order).
 * Walking them directly costs a property read instead of a fhirpath.js evaluation (~40 µs a
 * resource, the bulk of screening), and reads the caller's object without cloning it, since
 * nothing is annotated. Anything else — functions, filters, `where`, a path the model does not
 * type — stays with fhirpath.js. test/mapping/plain-path.test.ts holds the two to the same
 * answers over every expression of extract.yaml and a corpus of resources.
 */
export function compilePlainPath(expression: string, type: string): Evaluator | undefined {
  const match = new RegExp(`^${type}((?:\\.[A-Za-z]+)+)$`).exec(expression);
  if (!match) return undefined;
  const steps: { keys: string[] }[] = [];
  let typePath = type;
  for (const element of match[1]!.slice(1).split('.')) {
    const path = `${typePath}.${element}`;
    const choices = MODEL.choiceTypePaths[path];
    if (choices) {
      steps.push({ keys: choices.map((suffix) => element + suffix) });
      // The next element would be typed by whichever choice is present: leave that to fhirpath.
      typePath = '';
      continue;
    }
    if (typePath === '') return undefined;
    const elementType = MODEL.path2Type[path];
    if (elementType === undefined) return undefined;
    steps.push({ keys: [element] });
    typePath = elementType === 'BackboneElement' || elementType === 'Element' ? path : elementType;
  }
  if (steps.length === 0) return undefined;
  const evaluate: Evaluator = (resource) => {
    let nodes: unknown[] = [resource];
    for (const step of steps) {
      const next: unknown[] = [];
      for (const node of nodes) {
        if (typeof node !== 'object' || node === null || Array.isArray(node)) continue;
        for (const key of step.keys) {
          const value = (node as Record<string, unknown>)[key];
          if (value === undefined || value === null) continue;
          if (Array.isArray(value)) {
            for (const item of value) if (item !== undefined && item !== null) next.push(item);
          } else {
            next.push(value);
          }
        }
      }
      if (next.length === 0) return next;
      nodes = next;
    }
    return nodes;
  };
  READS_ORIGINAL.add(evaluate);
  return evaluate;
}

/** One resource's extraction: a private clone, and the problems met while reading it. */
export class Extraction<F extends string> {
  private clone: unknown;
  readonly problems: string[] = [];

  constructor(
    private readonly fields: Record<F, Evaluator>,
    private readonly resource: FhirResource,
  ) {}

  all(field: F): unknown[] {
    try {
      const evaluate = this.fields[field];
      // fhirpath.js annotates what it touches, so it gets a private clone; a plain path only reads.
      const input = READS_ORIGINAL.has(evaluate) ? this.resource : (this.clone ??= structuredClone(this.resource));
      const result = evaluate(input);
      return Array.isArray(result) ? result : [];
    } catch {
      this.problems.push(`${field} could not be read`);
      return [];
    }
  }

  /** The single value of a field; several values where one belongs is a problem, not a guess. */
  one(field: F): unknown {
    const values = this.all(field);
    if (values.length > 1) {
      this.problems.push(`${field} has ${values.length} values where one was expected`);
      return undefined;
    }
    return values[0];
  }

  /** The first coded value (statuses with several codings keep the first). */
  firstString(field: F): string | undefined {
    const v = this.all(field).find((x) => typeof x === 'string');
    return typeof v === 'string' ? v : undefined;
  }
}
