// Parsing of FHIR R4 reference strings [references; bundle: Resolving references in Bundles].
// Only the syntax lives here; which resource a reference names depends on the Bundle it sits
// in, and ingest decides that. Anything we cannot read gives undefined, never a throw: an
// unreadable reference is missing data, not a broken request.

/** A relative `Type/id` (`/_history/n` kept apart so callers can ignore it). */
export interface RelativeReference {
  kind: 'relative';
  type: string;
  id: string;
  version?: string;
}

/** An absolute URL: `http(s)://…`, `urn:uuid:…`, `urn:oid:…`. */
export interface AbsoluteReference {
  kind: 'absolute';
  /** The URL without `/_history/n`: what a fullUrl would equal. */
  url: string;
  /** Set when the URL is RESTful (`<base>/Type/id`). */
  restful?: RestfulUrl;
}

/** `#id` (a contained resource) or `#` (the container itself). */
export interface LocalReference {
  kind: 'local';
  /** Empty for `#`. */
  id: string;
}

/** `Type?param=value`: a search, resolved by the server that received it, never by us. */
export interface ConditionalReference {
  kind: 'conditional';
  type: string;
  query: URLSearchParams;
}

export type ParsedReference = RelativeReference | AbsoluteReference | LocalReference | ConditionalReference;

export interface RestfulUrl {
  /** Up to and including the slash before the type: `https://ehr.example.org/fhir/`. */
  base: string;
  type: string;
  id: string;
  version?: string;
}

// The shapes of R4's id and resource-type names; keeping them tight stops `a/b/c` or a URL
// with a query from passing as `Type/id`.
const TYPE = '[A-Z][A-Za-z]{1,63}';
const ID = '[A-Za-z0-9\\-.]{1,64}';
const RELATIVE_RE = new RegExp(`^(${TYPE})/(${ID})(?:/_history/(${ID}))?$`);
const RESTFUL_RE = new RegExp(`^(https?://[^/?#\\s]+/(?:[^?#\\s]*/)?)(${TYPE})/(${ID})(?:/_history/(${ID}))?$`);
const CONDITIONAL_RE = new RegExp(`^(${TYPE})\\?(.+)$`);
const URN_RE = /^urn:(?:uuid|oid):\S+$/;
const LOCAL_RE = new RegExp(`^#(${ID})?$`);

// Generous for any real reference, and it bounds the regex work on hostile input.
const MAX_REFERENCE_LENGTH = 4096;

/** `<base>/Type/id[/_history/n]` with an http(s) base, else undefined. */
export function parseRestfulUrl(url: unknown): RestfulUrl | undefined {
  if (typeof url !== 'string' || url.length > MAX_REFERENCE_LENGTH) return undefined;
  const m = RESTFUL_RE.exec(url);
  if (!m) return undefined;
  const parsed: RestfulUrl = { base: m[1]!, type: m[2]!, id: m[3]! };
  if (m[4] !== undefined) parsed.version = m[4];
  return parsed;
}

/** Reads a reference string, or a `Reference` object's `reference`. */
export function parseReference(value: unknown): ParsedReference | undefined {
  const text = referenceText(value);
  if (text === undefined) return undefined;

  const relative = RELATIVE_RE.exec(text);
  if (relative) {
    const parsed: RelativeReference = { kind: 'relative', type: relative[1]!, id: relative[2]! };
    if (relative[3] !== undefined) parsed.version = relative[3];
    return parsed;
  }
  if (text.startsWith('#')) {
    const local = LOCAL_RE.exec(text);
    return local ? { kind: 'local', id: local[1] ?? '' } : undefined;
  }
  if (URN_RE.test(text)) return { kind: 'absolute', url: text };
  if (/^https?:\/\//.test(text)) {
    const restful = parseRestfulUrl(text);
    if (!restful) return { kind: 'absolute', url: text };
    return { kind: 'absolute', url: `${restful.base}${restful.type}/${restful.id}`, restful };
  }
  const conditional = CONDITIONAL_RE.exec(text);
  if (conditional) return { kind: 'conditional', type: conditional[1]!, query: new URLSearchParams(conditional[2]!) };
  return undefined;
}

/** The reference string of a string or a `Reference`; anything else is undefined. */
export function referenceText(value: unknown): string | undefined {
  const text =
    typeof value === 'string'
      ? value
      : typeof value === 'object' && value !== null && !Array.isArray(value)
        ? (value as { reference?: unknown }).reference
        : undefined;
  if (typeof text !== 'string' || text.length === 0 || text.length > MAX_REFERENCE_LENGTH) return undefined;
  return text;
}
