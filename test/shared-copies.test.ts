// The tests read the specification's files from verbatim copies in test/fixtures/shared, so a
// clone alone runs them. Where the specification sits beside the clone (../shared), the copies
// must still match it.

import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { skipBecause } from './helpers/skip.js';

const ROOT = join(import.meta.dirname, '..');
const SHARED = join(ROOT, '..', 'shared');
const COPIES = join(ROOT, 'test', 'fixtures', 'shared');
const FILES = [
  ['criteria.md', 'criteria.md'],
  ['dm-candidate.json', 'examples/dm-candidate.json'],
  ['glp1-ckd-candidate.json', 'examples/glp1-ckd-candidate.json'],
] as const;

describe('test/fixtures/shared', () => {
  it('holds every copy the README there lists', () => {
    const readme = readFileSync(join(COPIES, 'README.md'), 'utf8');
    for (const [copy, original] of FILES) {
      expect(existsSync(join(COPIES, copy)), copy).toBe(true);
      expect(readme).toContain(`\`shared/${original}\``);
    }
  });

  it.skipIf(skipBecause(!existsSync(SHARED), 'the copies of ../shared are checked only where ../shared sits beside the clone'))(
    'matches ../shared byte for byte',
    () => {
      for (const [copy, original] of FILES) {
        expect(readFileSync(join(COPIES, copy), 'utf8'), copy).toBe(readFileSync(join(SHARED, original), 'utf8'));
      }
    },
  );
});
