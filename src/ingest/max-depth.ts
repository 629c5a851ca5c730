// A depth limit on untrusted JSON, checked before anything recursive (structuredClone,
// fhirpath, deep comparison) touches it: 100,000 nested arrays parse fine with JSON.parse
// and then overflow the stack of the first recursive walker. The walk here keeps its own
// stack, so it cannot overflow however deep the input is.

import { OperationOutcomeError } from '../fhir/errors.js';

/** Far beyond any real FHIR resource (a Bundle of resources with nested extensions is ~20). */
export const DEFAULT_MAX_DEPTH = 64;

interface Frame {
  value: object;
  depth: number;
  parent: Frame | undefined;
  key: string | number;
}

/**
 * Throws PRESCREEN_TOO_DEEP when objects and arrays nest more than `maxDepth` levels (the
 * root object is level 1). `rootPath` names the root for the error's expression (`Bundle`);
 * without it the expression is left out, since a non-resource root has no FHIRPath.
 */
export function assertMaxDepth(value: unknown, maxDepth = DEFAULT_MAX_DEPTH, rootPath?: string): void {
  if (typeof value !== 'object' || value === null) return;
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
}

function pathOptions(frame: Frame, rootPath: string | undefined): { expression?: string } {
  if (rootPath === undefined) return {};
  const parts: string[] = [];
  for (let f: Frame | undefined = frame; f?.parent !== undefined; f = f.parent) {
    parts.push(typeof f.key === 'number' ? `[${f.key}]` : `.${f.key}`);
  }
  return { expression: rootPath + parts.reverse().join('') };
}
