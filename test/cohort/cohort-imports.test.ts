// tools/cohort is tooling for tests, benchmarks and demos: no fastify, storage or transport,
// no clock and no Math.random (the output must depend on the seed alone).

import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const DIR = join(import.meta.dirname, '../../tools/cohort');

describe('tools/cohort', () => {
  for (const file of readdirSync(DIR).filter((f) => f.endsWith('.ts'))) {
    it(`${file} imports no fastify/storage/transport and never reads the clock or Math.random`, () => {
      const text = readFileSync(join(DIR, file), 'utf8');
      const imports = [...text.matchAll(/from '([^']+)'/g)].map((m) => m[1]!);
      for (const spec of imports) {
        expect(spec).not.toMatch(/fastify|\/storage\/|\/http\/|\/cds-hooks\/|\/batch\/|pg|pglite/);
        if (spec.startsWith('.')) expect(spec.endsWith('.js'), spec).toBe(true);
      }
      expect(text).not.toMatch(/Math\.random|Date\.now|new Date\(\)/);
    });
  }
});
