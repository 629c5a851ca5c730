// The identifiers that name evidence, stored rows and worklist entries: Resource.id and
// Bundle.entry.fullUrl. FHIR allows no control character or white space in either, and
// PostgreSQL refuses NUL in text. Length and the id alphabet are not held to R4 (64 characters,
// [A-Za-z0-9.-]): some EHRs send longer ids and they screen fine. But an id becomes a patient
// reference in indexed columns, and a btree entry cannot exceed a third of a page (~2.7 kB): a
// megabyte-long id is a bad resource here, not a failed write after screening.

export const MAX_ID_LENGTH = 1024;
export const MAX_FULL_URL_LENGTH = 2048;

const UNPRINTABLE = /[\u0000-\u0020\u007F]/;

/** A usable Resource.id: a non-empty printable string of at most MAX_ID_LENGTH characters. */
export function isUsableId(value: unknown): value is string {
  return typeof value === 'string' && value.length > 0 && value.length <= MAX_ID_LENGTH && !UNPRINTABLE.test(value);
}

/** A usable Bundle.entry.fullUrl: the same rule, up to MAX_FULL_URL_LENGTH characters. */
export function isUsableFullUrl(value: unknown): value is string {
  return typeof value === 'string' && value.length > 0 && value.length <= MAX_FULL_URL_LENGTH && !UNPRINTABLE.test(value);
}

/**
 * isUsableId, without scanning the id when it ends a fullUrl already found usable: its
 * characters are that URL's. A RESTful fullUrl ends in its resource's id, so this spares
 * nearly every entry of a Bundle a second scan.
 */
export function isUsableIdIn(value: unknown, usableFullUrl: string | undefined): value is string {
  if (usableFullUrl !== undefined && typeof value === 'string' && value.length > 0 && value.length <= MAX_ID_LENGTH && usableFullUrl.endsWith(value)) {
    return true;
  }
  return isUsableId(value);
}
