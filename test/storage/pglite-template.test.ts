// A fresh DATA_DIR starts from the empty database `npm run build` saves (pglite-template.ts)
// instead of running initdb: the folder opens, migrates and keeps what is written, a folder
// that already holds a database ignores the copy, and without a copy PGlite runs initdb.

import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openRunStorage } from '../../src/storage/open-run-storage.js';
import { openPgliteConnection } from '../../src/storage/pglite-connection.js';
import { makeTemplate, readTemplate } from '../../src/storage/pglite-template.js';

describe('a fresh DATA_DIR from the empty-database copy', () => {
  const dir = mkdtempSync(join(tmpdir(), 'pglite-template-'));
  const template = join(dir, 'template', 'empty.tar.gz');

  beforeAll(async () => {
    await makeTemplate(template);
  }, 300_000);
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('writes the copy once, and reads nothing where there is none', () => {
    expect(existsSync(template)).toBe(true);
    expect(existsSync(`${template}.partial`)).toBe(false);
    expect(readTemplate(template)?.size).toBeGreaterThan(1000);
    expect(readTemplate(join(dir, 'none.tar.gz'))).toBeUndefined();
  });

  it('opens a new folder from the copy, and a reopened folder keeps its rows (the copy is not loaded again)', async () => {
    const dataDir = join(dir, 'data');
    const first = await openPgliteConnection(dataDir, { template });
    await first.exec('CREATE TABLE kept (n int)');
    await first.query('INSERT INTO kept VALUES ($1)', [7]);
    await first.close();
    expect(existsSync(join(dataDir, 'PG_VERSION'))).toBe(true);
    const again = await openPgliteConnection(dataDir, { template });
    expect((await again.query<{ n: number }>('SELECT n FROM kept')).rows).toEqual([{ n: 7 }]);
    await again.close();
  }, 300_000);

  it('the storage on a fresh folder migrates as usual', async () => {
    // The default copy is the one `npm run build` made; this run may have none, so the copy
    // here is passed through the connection the storage opens: same code path.
    const dataDir = join(dir, 'storage');
    const connection = await openPgliteConnection(dataDir, { template });
    await connection.close();
    const storage = await openRunStorage({ dataDir });
    try {
      expect(await storage.runs.storedPatientRefs('glp1-ckd')).toEqual(new Set());
    } finally {
      await storage.close();
    }
  }, 300_000);

  it('runs initdb when there is no copy', async () => {
    const dataDir = join(dir, 'no-copy');
    const connection = await openPgliteConnection(dataDir, { template: join(dir, 'none.tar.gz') });
    expect((await connection.query<{ one: number }>('SELECT 1 AS one')).rows).toEqual([{ one: 1 }]);
    await connection.close();
  }, 300_000);
});
