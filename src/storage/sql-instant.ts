// Instants leave the database as text in one fixed format, `2026-11-24T09:30:00.123Z`: pg and
// PGlite would otherwise turn them into JS Dates (and `date` columns into local midnights), and
// meta.lastUpdated must compare equal to the column it came from.

/** SQL for a timestamptz expression as that text. */
export function instantText(expression: string): string {
  return `to_char(${expression} AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`;
}
