// style.md §4 and the layout table: ingest may import only src/fhir (and Node built-ins), so
// the domain stays free of HTTP, storage and transports.

import { readdirSync, readFileSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

const root = resolve(import.meta.dirname, '../..');
const ingest = join(root, 'src/ingest');

function sources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((d) =>
    d.isDirectory() ? sources(join(dir, d.name)) : d.name.endsWith('.ts') ? [join(dir, d.name)] : [],
  );
}

describe('src/ingest imports', () => {
  it.each(sources(ingest).map((file) => [relative(root, file), file]))('%s imports only src/fhir, src/ingest and node:', (_name, file) => {
    const text = readFileSync(file, 'utf8');
    const specifiers = [...text.matchAll(/^\s*(?:import|export)\b[^'"]*?from\s*['"]([^'"]+)['"]/gm)].map((m) => m[1]!);
    for (const specifier of specifiers) {
      if (specifier.startsWith('node:')) continue;
      expect(specifier, `${file} imports ${specifier}`).toMatch(/^\.\.?\//);
      const target = relative(root, resolve(file, '..', specifier));
      expect(target, `${file} imports ${specifier}`).toMatch(/^src\/(fhir|ingest)\//);
      expect(specifier, 'NodeNext needs .js suffixes').toMatch(/\.js$/);
    }
  });
});
