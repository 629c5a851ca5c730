// A fresh DATA_DIR starts from a copy of an empty database instead of PGlite's initdb. initdb
// runs a second PostgreSQL beside the first and peaks at about 650 MB resident (measured: the
// first night of the nightly finder peaked at 695 MB, a later one at about 410 MB); loading the
// copy peaks at about 250 MB and takes seconds. `npm run build` makes the copy once per PGlite
// version (scripts/pglite-template.ts → dist/pglite-template/<version>.tar.gz, shipped with
// dist/); without it, or for another version, PGlite runs initdb as before.

import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { packageRoot } from '../package-root.js';

/** The copy for the installed PGlite, beside the compiled code. */
export function defaultTemplatePath(): string {
  return join(packageRoot(), 'dist', 'pglite-template', `${pgliteVersion()}.tar.gz`);
}

/** The copy at `path`, or undefined when there is none. */
export function readTemplate(path: string = defaultTemplatePath()): Blob | undefined {
  return existsSync(path) ? new Blob([readFileSync(path)]) : undefined;
}

/** Runs initdb once, in memory, and writes the empty database to `path` (atomically). */
export async function makeTemplate(path: string = defaultTemplatePath()): Promise<void> {
  const db = await PGlite.create();
  try {
    const dump = await db.dumpDataDir('gzip');
    mkdirSync(dirname(path), { recursive: true });
    writeFileSync(`${path}.partial`, Buffer.from(await dump.arrayBuffer()));
    renameSync(`${path}.partial`, path);
  } finally {
    await db.close();
  }
}

function pgliteVersion(): string {
  // The package's main entry is dist/index.js; its package.json is one folder up.
  const entry = createRequire(import.meta.url).resolve('@electric-sql/pglite');
  const pkg = JSON.parse(readFileSync(join(dirname(entry), '..', 'package.json'), 'utf8')) as { version: string };
  return pkg.version;
}
