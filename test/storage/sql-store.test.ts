import { describe } from 'vitest';
import { findTestPostgres, openTestStore } from '../helpers/test-store.js';
import { storeContract } from './store-contract.js';
import { NEEDS_POSTGRES, skipBecause } from '../helpers/skip.js';

const postgres = await findTestPostgres();

describe('SqlStore on PGlite', () => {
  storeContract(() => openTestStore('pglite'));
});

describe.skipIf(skipBecause(postgres === undefined, NEEDS_POSTGRES))(
  `SqlStore on PostgreSQL (${postgres?.source ?? 'skipped: no TEST_DATABASE_URL and no Docker engine'})`,
  () => {
    storeContract(() => openTestStore('postgres'));
  },
);
