// --export URL: run a Bulk Data export into a temporary folder, authenticated with SMART
// Backend Services when a client id and key are given, and hand the folder to the finder.
//
// With `since` (the last complete run's transactionTime) the export is a `_since` delta: the CLI
// merges it into the resource store (delta-merge.ts) and screens the merged records, never the
// delta alone (standards §3).

import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Logger } from 'pino';
import { MAPPED_RESOURCE_TYPES } from '../mapping/entry-prefilter.js';
import { BulkExportError, runBulkExport } from './bulk-export.js';
import type { CliOptions } from './cli-args.js';
import { loadPrivateKey, smartTokenSource, type TokenSource } from './smart-token.js';

export { BulkExportError };

export interface ExportedFolder {
  dir: string;
  transactionTime: string;
  errorFiles: number;
  /** The `deleted[]` Bundles of a `_since` export. */
  deletedPaths: string[];
  cleanup(): Promise<void>;
}

export interface ExportSourceOptions {
  options: CliOptions;
  /** `_since`: the last complete run's transactionTime, or undefined for a full export. */
  since: string | undefined;
  logger: Logger;
  fetch?: typeof fetch;
  sleep?: (ms: number) => Promise<void>;
}

export async function exportToFolder(o: ExportSourceOptions): Promise<ExportedFolder> {
  const url = o.options.exportUrl!;
  if (!/\/(Patient|Group\/[A-Za-z0-9\-.]{1,64})?\/?\$export$/.test(new URL(url).pathname)) {
    throw new BulkExportError('--export must end in /Patient/$export, /Group/<id>/$export or /$export');
  }
  let auth: TokenSource | undefined;
  if (o.options.clientId !== undefined && o.options.privateKeyFile !== undefined) {
    const key = await loadPrivateKey(o.options.privateKeyFile, o.options.keyId === undefined ? {} : { keyId: o.options.keyId });
    auth = smartTokenSource({
      fhirBase: fhirBaseOf(url),
      clientId: o.options.clientId,
      ...key,
      types: MAPPED_RESOURCE_TYPES,
      ...(o.options.scope === undefined ? {} : { scope: o.options.scope }),
      ...(o.fetch === undefined ? {} : { fetch: o.fetch }),
    });
  }
  const dir = mkdtempSync(join(tmpdir(), 'fhir-prescreen-export-'));
  try {
    const result = await runBulkExport(
      {
        kickoffUrl: url,
        types: MAPPED_RESOURCE_TYPES,
        ...(o.since === undefined ? {} : { since: o.since }),
        logger: o.logger,
        ...(auth === undefined ? {} : { auth }),
        ...(o.fetch === undefined ? {} : { fetch: o.fetch }),
        ...(o.sleep === undefined ? {} : { sleep: o.sleep }),
      },
      dir,
    );
    return {
      dir,
      transactionTime: result.transactionTime,
      errorFiles: result.errorFiles,
      deletedPaths: result.deletedPaths,
      cleanup: async () => rmSync(dir, { recursive: true, force: true }),
    };
  } catch (error) {
    rmSync(dir, { recursive: true, force: true });
    throw error;
  }
}

/** `<base>` of `<base>/Patient/$export`, `<base>/Group/<id>/$export` or `<base>/$export`. */
export function fhirBaseOf(exportUrl: string): string {
  const url = new URL(exportUrl);
  url.search = '';
  url.pathname = url.pathname.replace(/\/(Patient|Group\/[^/]+)?\/?\$export$/, '');
  return url.href.replace(/\/$/, '');
}
