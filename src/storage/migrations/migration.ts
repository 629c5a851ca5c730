// Migrations are SQL kept in TypeScript modules rather than .sql files: tsc compiles them into
// dist/, so the same list runs under tsx, vitest, `node dist/…` and in the image, with no file
// lookup that depends on where the code was started from.

export interface Migration {
  /** `NNN-name`, recorded in schema_migrations; never rename one that has shipped. */
  readonly id: string;
  /** One or more statements. Both PGlite and PostgreSQL run it, so plain PostgreSQL 15 only. */
  readonly sql: string;
}
