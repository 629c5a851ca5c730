import { MIGRATIONS } from './migrations/index.js';
import type { Migration } from './migrations/migration.js';
import type { SqlConnection } from './sql-connection.js';

// Two processes starting together on one PostgreSQL must not both apply a migration (or both
// create schema_migrations, which fails). Each migration's transaction first takes this
// transaction-scoped advisory lock, so the second process waits, then sees the first one's row.
// The key is database-wide; schemas sharing a database just take turns.
const MIGRATION_LOCK_KEY = 4_170_233_801;

const CREATE_LEDGER = `
CREATE TABLE IF NOT EXISTS schema_migrations (
  id         text        PRIMARY KEY,
  applied_at timestamptz NOT NULL DEFAULT now()
)`;

/** Applies pending migrations in order, each in its own transaction; returns the ids it applied. */
export async function runMigrations(
  connection: SqlConnection,
  migrations: readonly Migration[] = MIGRATIONS,
): Promise<string[]> {
  const applied: string[] = [];
  for (const migration of migrations) {
    const didApply = await connection.transaction(async (tx) => {
      await tx.query(`SELECT pg_advisory_xact_lock(${MIGRATION_LOCK_KEY})`);
      await tx.exec(CREATE_LEDGER);
      const done = await tx.query('SELECT 1 FROM schema_migrations WHERE id = $1', [migration.id]);
      if (done.rows.length > 0) return false;
      await tx.exec(migration.sql);
      await tx.query('INSERT INTO schema_migrations (id) VALUES ($1)', [migration.id]);
      return true;
    });
    if (didApply) applied.push(migration.id);
  }
  return applied;
}
