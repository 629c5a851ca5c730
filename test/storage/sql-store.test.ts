import { describe } from 'vitest';
import { findTestPostgres, openTestStore } from '../helpers/test-store.js';
import { storeContract } from './store-contract.js';

const postgres = await findTestPostgres();

describe('SqlStore on PGlite', () => {
  storeContract(() => openTestStore('pglite'));
});

describe.skipIf(postgres === undefined)(
  `SqlStore on PostgreSQL (${postgres?.source ?? 'skipped: no TEST_DATABASE_URL and no Docker engine'})`,
  () => {
    storeContract(() => openTestStore('postgres'));
  },
);
