// `fhir-prescreen find …` arguments → options, with one clear line for anything wrong.

import { availableParallelism } from 'node:os';
import { parseArgs } from 'node:util';
import { parseIsoDay } from '../fhir/dates.js';

export const USAGE = `usage: fhir-prescreen find --study ID (--input DIR | --export URL) [--as-of YYYY-MM-DD]
         [--out DIR] [--database URL] [--resume] [--workers N]
         [--client-id ID --private-key FILE [--key-id KID] [--scope SCOPES]]

  --input DIR      a folder of Bulk Data NDJSON (<Type>.ndjson or <Type>.NNN.ndjson)
  --export URL     kick off a Bulk Data export: <base>/Patient/$export or <base>/Group/<id>/$export
  --as-of DAY      screening date (default: today, UTC)
  --out DIR        worklist, funnel and problem reports (default: runs/<run id>)
  --database URL   PostgreSQL (default: DATABASE_URL, else embedded PGlite in DATA_DIR)
  --resume         continue the latest unfinished run of this study and date
  --workers N      screening threads (default: one per core)
  --batch-size N   patients per results transaction (default 200)
  --client-id, --private-key, --key-id, --scope
                   SMART Backend Services for --export (private_key_jwt; key as JWK or PKCS#8 PEM)`;

export interface CliOptions {
  studyId: string;
  input?: string;
  exportUrl?: string;
  asOf: string;
  outDir?: string;
  databaseUrl?: string;
  resume: boolean;
  workers: number;
  batchSize?: number;
  clientId?: string;
  privateKeyFile?: string;
  keyId?: string;
  scope?: string;
}

export class UsageError extends Error {
  override name = 'UsageError';
}

export function parseFindArgs(argv: string[], today: string): CliOptions {
  let values: Record<string, string | boolean | undefined>;
  try {
    ({ values } = parseArgs({
      args: argv,
      options: {
        study: { type: 'string' },
        input: { type: 'string' },
        export: { type: 'string' },
        'as-of': { type: 'string' },
        out: { type: 'string' },
        database: { type: 'string' },
        resume: { type: 'boolean', default: false },
        workers: { type: 'string' },
        'batch-size': { type: 'string' },
        'client-id': { type: 'string' },
        'private-key': { type: 'string' },
        'key-id': { type: 'string' },
        scope: { type: 'string' },
      },
      strict: true,
      allowPositionals: false,
    }));
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
  const str = (name: string): string | undefined => (typeof values[name] === 'string' ? (values[name] as string) : undefined);
  const studyId = str('study');
  if (!studyId) throw new UsageError('--study is required');
  const input = str('input');
  const exportUrl = str('export');
  if ((input === undefined) === (exportUrl === undefined)) throw new UsageError('give exactly one of --input and --export');
  const asOf = str('as-of') ?? today;
  if (parseIsoDay(asOf) === undefined) throw new UsageError('--as-of must be a date YYYY-MM-DD');
  let workers = availableParallelism();
  const w = str('workers');
  if (w !== undefined) {
    if (!/^\d+$/.test(w) || Number(w) < 1 || Number(w) > 256) throw new UsageError('--workers must be an integer from 1 to 256');
    workers = Number(w);
  }
  const options: CliOptions = { studyId, asOf, resume: values['resume'] === true, workers };
  const b = str('batch-size');
  if (b !== undefined) {
    if (!/^\d+$/.test(b) || Number(b) < 1 || Number(b) > 10_000) throw new UsageError('--batch-size must be an integer from 1 to 10000');
    options.batchSize = Number(b);
  }
  const copy = { input, exportUrl, outDir: str('out'), databaseUrl: str('database'), clientId: str('client-id'), privateKeyFile: str('private-key'), keyId: str('key-id'), scope: str('scope') };
  for (const [key, value] of Object.entries(copy)) if (value !== undefined) (options as unknown as Record<string, unknown>)[key] = value;
  if (exportUrl !== undefined && (options.clientId === undefined) !== (options.privateKeyFile === undefined)) {
    throw new UsageError('--client-id and --private-key go together');
  }
  return options;
}
