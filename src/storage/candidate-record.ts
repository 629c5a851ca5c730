// A candidate's stored record (migration 040) as text, and the `_since` delta merge done on it
// in memory. One row per patient: writing hundreds of resources as one value is what makes the
// finder's store write cheap; the price is that a merge reads, changes and writes whole records.
//
// `keys` and `record` are parallel: line i of `record` is the NDJSON line of key i ("Type/id").
// Neither can hold a newline of its own: an NDJSON line has none, and a stored Type/id has none
// (ids are printable, stored-lines.ts refuses other types). Lines are kept sorted by type, then
// id, so a record reads back in a stable order whichever way it was written.

export interface StoredResourceGroup {
  patientId: string;
  resources: { type: string; id: string; line: string }[];
}

export interface ResourceDelta {
  /** Owned resources: replace Type/id wherever stored, stored again for `patientId`. */
  upserts: { type: string; id: string; patientId: string; line: string }[];
  /** Shared resources (Medication): replace the text of Type/id for every patient holding it. */
  shared: { type: string; id: string; line: string }[];
  deletes: { type: string; id: string }[];
}

/** A record's lines by "Type/id", with the type and id kept for sorting. */
export type RecordLines = Map<string, { type: string; id: string; line: string }>;

/** The row's two text columns; `keys` empty means the patient has no record. */
export interface RecordText {
  keys: string;
  record: string;
}

export function keyOf(r: { type: string; id: string }): string {
  return `${r.type}/${r.id}`;
}

/** A group's lines (the later of two with one Type/id wins). */
export function linesOf(resources: StoredResourceGroup['resources'], into: RecordLines = new Map()): RecordLines {
  for (const r of resources) into.set(keyOf(r), r);
  return into;
}

/** A record's keys and lines in stored order: its text is `keys` and `lines` each joined by a newline. */
export interface SortedRecord {
  keys: string[];
  lines: string[];
}

export function sortedRecord(lines: RecordLines): SortedRecord {
  // Code-unit order, not the database's collation: the same on PGlite and every PostgreSQL.
  const sorted = [...lines.entries()].sort(([, a], [, b]) => compare(a.type, b.type) || compare(a.id, b.id));
  return { keys: sorted.map(([k]) => k), lines: sorted.map(([, r]) => r.line) };
}

export function joined(sorted: SortedRecord): RecordText {
  return { keys: sorted.keys.join('\n'), record: sorted.lines.join('\n') };
}

export function parseRecord(text: RecordText): RecordLines {
  const lines: RecordLines = new Map();
  if (text.keys === '') return lines;
  const keys = text.keys.split('\n');
  const record = text.record.split('\n');
  if (keys.length !== record.length) throw new Error(`A stored record has ${keys.length} keys but ${record.length} lines.`);
  for (const [i, key] of keys.entries()) {
    const slash = key.indexOf('/');
    lines.set(key, { type: key.slice(0, slash), id: key.slice(slash + 1), line: record[i]! });
  }
  return lines;
}

/** Every line of a record's text, in stored order. */
export function recordLines(record: string): string[] {
  return record === '' ? [] : record.split('\n');
}

/**
 * Applies a delta to the records it reaches, in place: deletes and upserts first drop their
 * Type/id from every record, then each upsert lands in its owner's record (a resource that moved
 * owner leaves the old one; of two upserts of one Type/id the later wins), then shared lines replace their Type/id wherever it is held.
 * Returns the patients whose records the delta reached. A record left empty is removed from
 * `records`, and its patient is still touched. Merging a part of the store at a time, `owns`
 * says which owners' upserts belong to this part.
 */
export function applyDelta(records: Map<string, RecordLines>, delta: ResourceDelta, owns: (patientId: string) => boolean = () => true): Set<string> {
  const touched = new Set<string>();
  const dropped = new Set([...delta.deletes, ...delta.upserts].map(keyOf));
  for (const [patientId, lines] of records) {
    for (const key of dropped) if (lines.delete(key)) touched.add(patientId);
  }
  // One owner per Type/id: of two upserts of one resource in a delta, the later wins.
  const upserts = new Map(delta.upserts.map((u) => [keyOf(u), u]));
  for (const u of upserts.values()) {
    if (!owns(u.patientId)) continue;
    let lines = records.get(u.patientId);
    if (lines === undefined) records.set(u.patientId, (lines = new Map()));
    lines.set(keyOf(u), { type: u.type, id: u.id, line: u.line });
    touched.add(u.patientId);
  }
  for (const s of delta.shared) {
    const key = keyOf(s);
    for (const [patientId, lines] of records) {
      const held = lines.get(key);
      if (held === undefined) continue;
      held.line = s.line;
      touched.add(patientId);
    }
  }
  for (const [patientId, lines] of records) if (lines.size === 0) records.delete(patientId);
  return touched;
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
