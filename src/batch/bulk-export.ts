// FHIR Bulk Data 2.0 client [Export]: kick-off, poll, download, DELETE. Files are streamed to
// disk as `<Type>.NNN.ndjson`, so the finder reads them exactly like an export folder.
// Waits honour Retry-After (seconds or an HTTP date), else back off exponentially, all under
// one deadline. A 401 gets one new token and one retry.

import { createWriteStream, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { ReadableStream as WebReadableStream } from 'node:stream/web';
import type { Logger } from 'pino';
import type { TokenSource } from './smart-token.js';

export class BulkExportError extends Error {
  override name = 'BulkExportError';
}

export interface BulkExportOptions {
  /** `<base>/Patient/$export`, `<base>/Group/<id>/$export` or `<base>/$export`. */
  kickoffUrl: string;
  types: readonly string[];
  /** An instant: only resources changed since (a delta: merge it into the resource store, never screen it alone). */
  since?: string;
  auth?: TokenSource;
  logger: Logger;
  fetch?: typeof fetch;
  sleep?: (ms: number) => Promise<void>;
  /** Overall deadline for kick-off + polling; default 6 h. */
  deadlineMs?: number;
  /** First back-off without Retry-After; doubles up to maxBackoffMs. */
  initialBackoffMs?: number;
  maxBackoffMs?: number;
}

export interface BulkExportResult {
  transactionTime: string;
  files: { type: string; path: string; count?: number }[];
  errorFiles: number;
  deletedFiles: number;
  /** `deleted[]` Bundles (a `_since` export), downloaded under `<dir>/deleted/`. */
  deletedPaths: string[];
}

interface Manifest {
  transactionTime?: unknown;
  requiresAccessToken?: unknown;
  output?: unknown;
  error?: unknown;
  deleted?: unknown;
}

const TRANSIENT = new Set([500, 502, 503, 504]);

export async function runBulkExport(options: BulkExportOptions, dir: string): Promise<BulkExportResult> {
  const doFetch = options.fetch ?? fetch;
  const sleep = options.sleep ?? ((ms: number) => new Promise<void>((r) => setTimeout(r, ms)));
  const deadline = Date.now() + (options.deadlineMs ?? 6 * 3600_000);
  let backoff = options.initialBackoffMs ?? 1000;
  const maxBackoff = options.maxBackoffMs ?? 60_000;
  const log = options.logger;

  /** One request with the bearer token (when authenticated) and one retry after a 401. */
  const send = async (url: string, init: RequestInit, withToken = true): Promise<Response> => {
    for (let attempt = 0; ; attempt++) {
      const headers = new Headers(init.headers);
      if (withToken && options.auth) headers.set('authorization', `Bearer ${await options.auth.token()}`);
      const response = await doFetch(url, { ...init, headers });
      if (response.status === 401 && withToken && options.auth && attempt === 0) {
        await response.body?.cancel();
        options.auth.invalidate();
        continue;
      }
      return response;
    }
  };

  const wait = async (response: Response | undefined): Promise<void> => {
    const retryAfter = response ? retryAfterMs(response.headers.get('retry-after')) : undefined;
    const ms = retryAfter ?? backoff;
    if (retryAfter === undefined) backoff = Math.min(maxBackoff, backoff * 2);
    if (Date.now() + ms > deadline) throw new BulkExportError('the Bulk export did not finish before the deadline');
    await sleep(ms);
  };

  // Kick-off.
  const kickoff = new URL(options.kickoffUrl);
  kickoff.searchParams.set('_type', options.types.join(','));
  if (options.since !== undefined) kickoff.searchParams.set('_since', options.since);
  let statusUrl: string | undefined;
  for (;;) {
    const response = await send(kickoff.href, { headers: { accept: 'application/fhir+json', prefer: 'respond-async' } });
    if (response.status === 202) {
      const location = response.headers.get('content-location');
      await response.body?.cancel();
      if (!location) throw new BulkExportError('the Bulk kick-off answered 202 without Content-Location');
      statusUrl = new URL(location, kickoff).href;
      break;
    }
    if (response.status === 429) {
      await response.body?.cancel();
      await wait(response);
      continue;
    }
    throw new BulkExportError(`the Bulk kick-off failed: HTTP ${response.status}${await outcomeCode(response)}`);
  }
  log.info({ phase: 'export' }, 'bulk export started');

  // Poll.
  let manifest: Manifest;
  backoff = options.initialBackoffMs ?? 1000;
  for (;;) {
    const response = await send(statusUrl, { headers: { accept: 'application/json' } });
    if (response.status === 200) {
      manifest = (await response.json()) as Manifest;
      break;
    }
    await response.body?.cancel();
    if (response.status === 202) {
      const progress = response.headers.get('x-progress');
      if (progress) log.debug({ phase: 'export' }, 'bulk export in progress');
      await wait(response);
    } else if (response.status === 429 || TRANSIENT.has(response.status)) {
      await wait(response);
    } else {
      throw new BulkExportError(`the Bulk status request failed: HTTP ${response.status}`);
    }
  }

  if (typeof manifest.transactionTime !== 'string') throw new BulkExportError('the Bulk manifest has no transactionTime');
  const outputs = Array.isArray(manifest.output) ? (manifest.output as Record<string, unknown>[]) : [];
  const withToken = manifest.requiresAccessToken === true;
  const wanted = new Set(options.types);
  const perType = new Map<string, number>();
  const files: BulkExportResult['files'] = [];
  for (const output of outputs) {
    const type = output['type'];
    const url = output['url'];
    if (typeof type !== 'string' || typeof url !== 'string' || !/^[A-Z][A-Za-z]{1,63}$/.test(type)) {
      throw new BulkExportError('the Bulk manifest has an output without a type or url');
    }
    if (!wanted.has(type)) continue;
    const n = perType.get(type) ?? 0;
    perType.set(type, n + 1);
    const path = join(dir, `${type}.${String(n).padStart(3, '0')}.ndjson`);
    const response = await send(new URL(url, statusUrl).href, { headers: { accept: 'application/fhir+ndjson' } }, withToken);
    if (!response.ok || !response.body) throw new BulkExportError(`a Bulk file download failed: HTTP ${response.status}`);
    await pipeline(Readable.fromWeb(response.body as WebReadableStream<Uint8Array>), createWriteStream(path));
    const file: BulkExportResult['files'][number] = { type, path };
    if (typeof output['count'] === 'number') file.count = output['count'];
    files.push(file);
  }
  const errorFiles = Array.isArray(manifest.error) ? manifest.error.length : 0;
  const deletedOutputs = Array.isArray(manifest.deleted) ? (manifest.deleted as Record<string, unknown>[]) : [];
  const deletedFiles = deletedOutputs.length;
  const deletedPaths: string[] = [];
  if (deletedOutputs.length > 0) mkdirSync(join(dir, 'deleted'), { recursive: true });
  for (const [n, output] of deletedOutputs.entries()) {
    const url = output['url'];
    if (typeof url !== 'string') throw new BulkExportError('the Bulk manifest has a deleted entry without a url');
    const path = join(dir, 'deleted', `deleted.${String(n).padStart(3, '0')}.ndjson`);
    const response = await send(new URL(url, statusUrl).href, { headers: { accept: 'application/fhir+ndjson' } }, withToken);
    if (!response.ok || !response.body) throw new BulkExportError(`a Bulk deleted-file download failed: HTTP ${response.status}`);
    await pipeline(Readable.fromWeb(response.body as WebReadableStream<Uint8Array>), createWriteStream(path));
    deletedPaths.push(path);
  }

  // Done with the export: the server may free its files.
  const deleted = await send(statusUrl, { method: 'DELETE' });
  await deleted.body?.cancel();
  if (!deleted.ok) log.warn({ status: deleted.status }, 'the Bulk status URL could not be deleted');
  log.info({ files: files.length, errorFiles, deletedFiles }, 'bulk export downloaded');
  return { transactionTime: manifest.transactionTime, files, errorFiles, deletedFiles, deletedPaths };
}

/** Retry-After as milliseconds: delta-seconds or an HTTP date; undefined when absent or bad. */
export function retryAfterMs(value: string | null, now: number = Date.now()): number | undefined {
  if (value === null || value.trim() === '') return undefined;
  if (/^\d+$/.test(value.trim())) return Number(value.trim()) * 1000;
  const at = Date.parse(value);
  return Number.isNaN(at) ? undefined : Math.max(0, at - now);
}

/** The OperationOutcome's first issue code, for the error line (never its text). */
async function outcomeCode(response: Response): Promise<string> {
  try {
    const body = (await response.json()) as { resourceType?: unknown; issue?: { code?: unknown }[] };
    const code = body.resourceType === 'OperationOutcome' ? body.issue?.[0]?.code : undefined;
    return typeof code === 'string' ? ` (${code})` : '';
  } catch {
    return '';
  }
}
