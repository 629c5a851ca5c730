// The only place fhirpath is imported. Each expression of extract.yaml is compiled once with
// the R4 model; evaluation runs on a structuredClone of one resource, because fhirpath.js adds
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
      try {
        fields[field] = guarded(expression, type, fhirpath.compile(expression, r4) as Evaluator);
      } catch (err) {
        const why = err instanceof Error ? err.message.split('\n')[0] : String(err);
        throw new MappingError(fileName, path, `FHIRPath '${expression}' does not compile: ${why}`);
      }
    }
    out[type] = fields;
  }
  return out as CompiledExtract;
}

/**
 * A plain path (`Observation.effective`, `Condition.code.text`) can only yield something when
 * the resource has a key starting with its first element (`effectiveDateTime` …), so it is not
 * evaluated otherwise: most fields of most resources are absent, and each evaluation costs.
 * Anything more than a plain path is always evaluated.
 */
function guarded(expression: string, type: string, evaluate: Evaluator): Evaluator {
  const plain = new RegExp(`^${type}((?:\\.[A-Za-z]+)+)$`).exec(expression);
  if (!plain) return evaluate;
  const element = plain[1]!.split('.')[1]!;
  return (resource) => {
    for (const k of Object.keys(resource as object)) if (k.startsWith(element)) return evaluate(resource);
    return [];
  };
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
      this.clone ??= structuredClone(this.resource);
      const result = this.fields[field](this.clone);
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
