// The folder holding package.json: where the shipped fhir-mappings/ and dist/ are found, whether
// the code runs from src/ under tsx or from dist/src/ after tsc.

import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export function packageRoot(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (;;) {
    if (existsSync(join(dir, 'package.json'))) return dir;
    const parent = dirname(dir);
    if (parent === dir) return resolve('.');
    dir = parent;
  }
}
