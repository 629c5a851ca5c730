// render/ is domain code (style.md rule 4): it never imports fastify, storage or a transport.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { projectRoot } from '../../src/config.js';

const dir = join(projectRoot(), 'src', 'render');

describe('src/render imports', () => {
  it.each(readdirSync(dir).filter((f) => f.endsWith('.ts')))('%s imports no HTTP, storage or transport code', (file) => {
    const source = readFileSync(join(dir, file), 'utf8');
    const imports = [...source.matchAll(/from\s+'([^']+)'/g)].map((m) => m[1]!);
    for (const spec of imports) {
      expect(spec, `${file} imports ${spec}`).not.toMatch(/fastify|^pg$|pglite|\/storage\/|\/http\/|\/cds-hooks\/|\/batch\/|\/app\.js|\/server\.js|\/config\.js/);
    }
  });
});
