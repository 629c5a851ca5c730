// Bundle entries by fullUrl: the identity that collapses copies, and the reference resolver's
// index. A Map keyed by the fullUrl would hash every character of every one (V8 hashes a freshly
// parsed string in full), which would be the costliest step of ingest. Here an
// entry is filed under a number read from the URL's length and last characters, where ids and
// UUIDs differ, and whole URLs are compared only within one number's bucket. A bucket that grows
// past a few entries (URLs made to look alike) moves into a string-keyed Map, so a hostile Bundle
// costs what the plain Map did and never more.
//
// The entries themselves are filed, with no wrapper object per entry: an object literal made for
// every entry and alive through the whole screening is what V8 learns to allocate straight in the
// old generation, where, dead, it holds the young Bundle alive through every young GC until the
// next full one, and each scavenge promotes the Bundle instead of freeing it.

const TAIL = 12;
const BUCKET_LIMIT = 4;

interface Filed {
  readonly fullUrl?: string | undefined;
}

type Bucket<T> = T | T[] | Map<string, T>;

/** A small integer (a V8 Smi, so the Map hashes it cheaply) from the length and the tail. */
function fingerprint(url: string): number {
  const n = url.length;
  let h = n;
  for (let i = n > TAIL ? n - TAIL : 0; i < n; i++) h = (Math.imul(h, 31) + url.charCodeAt(i)) & 0x3fffffff;
  return h;
}

export class FullUrlIndex<T extends Filed> {
  private readonly buckets = new Map<number, Bucket<T>>();
  private count = 0;

  get size(): number {
    return this.count;
  }

  get(url: string): T | undefined {
    const bucket = this.buckets.get(fingerprint(url));
    if (bucket === undefined) return undefined;
    if (bucket instanceof Map) return bucket.get(url);
    if (Array.isArray(bucket)) {
      for (const item of bucket) if (item.fullUrl === url) return item;
      return undefined;
    }
    return (bucket as T).fullUrl === url ? (bucket as T) : undefined;
  }

  /** Files an entry under its fullUrl unless that URL is already there (or it has none); true when added. */
  add(entry: T): boolean {
    const url = entry.fullUrl;
    if (url === undefined) return false;
    const key = fingerprint(url);
    const bucket = this.buckets.get(key);
    if (bucket === undefined) {
      this.buckets.set(key, entry);
    } else if (bucket instanceof Map) {
      if (bucket.has(url)) return false;
      bucket.set(url, entry);
    } else if (Array.isArray(bucket)) {
      if (bucket.some((item) => item.fullUrl === url)) return false;
      if (bucket.length < BUCKET_LIMIT) bucket.push(entry);
      else this.buckets.set(key, new Map([...bucket.map((item): [string, T] => [item.fullUrl!, item]), [url, entry]]));
    } else {
      if ((bucket as T).fullUrl === url) return false;
      this.buckets.set(key, [bucket as T, entry]);
    }
    this.count += 1;
    return true;
  }
}
