// A depth limit on untrusted JSON, checked before anything recursive (structuredClone,
// fhirpath.js) touches it: 100,000 nested arrays parse fine with JSON.parse and then overflow
// the stack of the first recursive walker (fhirpath.js may exhaust the heap instead). The walks
// here keep their own stack, so they cannot overflow however deep the input is.
//
// Screening a Bundle does not walk it whole: it reads each resource a few members deep, and
// nothing on that path recurses into input, so a deep value it never reads costs nothing (a
// walk of every node would tax every patient's screening). The limit is checked where
// recursion begins: a resource before fhirpath.js evaluates a mapping expression on it
// (Extraction), a CDS call's envelope before it crosses threads, each NDJSON line of a batch.
// test/ingest/deep-values.test.ts puts a 100,000-deep value at every place of a patient's
// resources and holds screening to an answer.
//
// The check touches every node of the request, so it is written for speed: the common pass
// allocates nothing per node and only answers yes or no. Only when the limit is broken does the
// second walk run, which remembers parents to name the path.

import { OperationOutcomeError } from '../fhir/errors.js';

/** Far beyond any real FHIR resource (a Bundle of resources with nested extensions is ~20). */
export const DEFAULT_MAX_DEPTH = 64;

/**
 * Throws PRESCREEN_TOO_DEEP when objects and arrays nest more than `maxDepth` levels (the
 * root object is level 1). `rootPath` names the root for the error's expression (`Bundle`);
 * without it the expression is left out, since a non-resource root has no FHIRPath.
 */
export function assertMaxDepth(value: unknown, maxDepth = DEFAULT_MAX_DEPTH, rootPath?: string): void {
  if (typeof value !== 'object' || value === null) return;
  if (!withinDepth(value, maxDepth)) throwTooDeep(value, maxDepth, rootPath);
}

/** The same test without naming the place: for callers that treat too deep as unreadable. */
export function isWithinDepth(value: unknown, maxDepth = DEFAULT_MAX_DEPTH): boolean {
  return typeof value !== 'object' || value === null || withinDepth(value, maxDepth);
}

function withinDepth(root: object, maxDepth: number): boolean {
  return maxDepth <= RECURSION_LIMIT && plainKeysOnly() ? withinDepthRecursive(root, 1, maxDepth) : withinDepthIterative(root, maxDepth);
}

/**
 * Up to this limit the walk may recurse: it stops one level past `maxDepth`, so it never nests
 * deeper than that, far inside any stack. Recursion with `for…in` allocates nothing, where an
 * explicit stack with Object.keys allocates a list per object (half of what ingest allocates).
 */
const RECURSION_LIMIT = 256;

/**
 * `for…in` also visits inherited enumerable keys. JSON objects inherit from Object.prototype,
 * which has none unless something has polluted it; then (and for other prototypes) the walk
 * falls back to Object.keys, so the answer is always that of the own keys.
 */
function plainKeysOnly(): boolean {
  for (const _ in Object.prototype) return false;
  return true;
}

function withinDepthRecursive(value: object, depth: number, maxDepth: number): boolean {
  if (depth > maxDepth) return false;
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) {
      const child: unknown = value[i];
      if (typeof child === 'object' && child !== null && !withinDepthRecursive(child, depth + 1, maxDepth)) return false;
    }
    return true;
  }
  const record = value as Record<string, unknown>;
  if (Object.getPrototypeOf(record) !== Object.prototype) {
    for (const key of Object.keys(record)) {
      const child = record[key];
      if (typeof child === 'object' && child !== null && !withinDepthRecursive(child, depth + 1, maxDepth)) return false;
    }
    return true;
  }
  for (const key in record) {
    const child = record[key];
    if (typeof child === 'object' && child !== null && !withinDepthRecursive(child, depth + 1, maxDepth)) return false;
  }
  return true;
}

/** For limits too large to recurse to: two flat stacks (values and depths), no frame objects. */
function withinDepthIterative(root: object, maxDepth: number): boolean {
  const values: object[] = [root];
  const depths: number[] = [1];
  while (values.length > 0) {
    const value = values.pop()!;
    const depth = depths.pop()!;
    if (depth > maxDepth) return false;
    const childDepth = depth + 1;
    if (Array.isArray(value)) {
      for (let i = 0; i < value.length; i++) {
        const child: unknown = value[i];
        if (typeof child === 'object' && child !== null) {
          values.push(child);
          depths.push(childDepth);
        }
      }
    } else {
      const record = value as Record<string, unknown>;
      for (const key of Object.keys(record)) {
        const child = record[key];
        if (typeof child === 'object' && child !== null) {
          values.push(child);
          depths.push(childDepth);
        }
      }
    }
  }
  return true;
}

interface Frame {
  value: object;
  depth: number;
  parent: Frame | undefined;
  key: string | number;
}

/** The first too-deep node in the walk order, named by its path: only on the error path. */
function throwTooDeep(value: object, maxDepth: number, rootPath: string | undefined): never {
  const stack: Frame[] = [{ value, depth: 1, parent: undefined, key: '' }];
  for (let frame = stack.pop(); frame !== undefined; frame = stack.pop()) {
    if (frame.depth > maxDepth) {
      throw new OperationOutcomeError('PRESCREEN_TOO_DEEP', pathOptions(frame, rootPath));
    }
    const depth = frame.depth + 1;
    if (Array.isArray(frame.value)) {
      const list: unknown[] = frame.value;
      for (let i = 0; i < list.length; i++) {
        const child = list[i];
        if (typeof child === 'object' && child !== null) stack.push({ value: child, depth, parent: frame, key: i });
      }
    } else {
      const record = frame.value as Record<string, unknown>;
      for (const key of Object.keys(record)) {
        const child = record[key];
        if (typeof child === 'object' && child !== null) stack.push({ value: child, depth, parent: frame, key });
      }
    }
  }
  // Unreachable: withinDepth found a node beyond the limit, and this walk visits the same nodes.
  throw new OperationOutcomeError('PRESCREEN_TOO_DEEP', rootPath === undefined ? {} : { expression: rootPath });
}

function pathOptions(frame: Frame, rootPath: string | undefined): { expression?: string } {
  if (rootPath === undefined) return {};
  const parts: string[] = [];
  for (let f: Frame | undefined = frame; f?.parent !== undefined; f = f.parent) {
    parts.push(typeof f.key === 'number' ? `[${f.key}]` : `.${f.key}`);
  }
  return { expression: rootPath + parts.reverse().join('') };
}
