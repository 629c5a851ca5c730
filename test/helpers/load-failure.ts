// The MappingError loading a mappings folder stops with; fails the test when loading succeeds or
// throws anything else.

import { expect } from 'vitest';
import { MappingError } from '../../src/mapping/mapping-error.js';
import { loadStudies } from '../../src/screening/study-registry.js';

export async function loadFailure(root: string): Promise<MappingError> {
  try {
    await loadStudies(root);
  } catch (err) {
    expect(err).toBeInstanceOf(MappingError);
    return err as MappingError;
  }
  throw new Error('loadStudies did not fail');
}
