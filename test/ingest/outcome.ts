// Asserts that a call fails the way the contract says: the catalogue code and the FHIRPath
// of the offending element, never the wording.

import { expect } from 'vitest';
import { OperationOutcomeError, type ErrorCode } from '../../src/fhir/errors.js';

export function outcomeOf(run: () => unknown): OperationOutcomeError {
  try {
    run();
  } catch (error) {
    expect(error).toBeInstanceOf(OperationOutcomeError);
    return error as OperationOutcomeError;
  }
  throw new Error('expected an OperationOutcomeError, but the call succeeded');
}

export function expectOutcome(run: () => unknown, code: ErrorCode, expression?: string): OperationOutcomeError {
  const error = outcomeOf(run);
  expect({ code: error.code, expression: error.expression }).toEqual({ code, expression });
  return error;
}

export function deepFreeze<T>(value: T): T {
  const stack: unknown[] = [value];
  for (let item = stack.pop(); item !== undefined; item = stack.pop()) {
    if (typeof item !== 'object' || item === null || Object.isFrozen(item)) continue;
    Object.freeze(item);
    stack.push(...Object.values(item));
  }
  return value;
}
