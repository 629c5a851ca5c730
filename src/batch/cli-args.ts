// `fhir-prescreen find …` arguments → options, with one clear line for anything wrong.

import { availableParallelism } from 'node:os';
import { parseArgs } from 'node:util';
import { parseIsoDay } from '../fhir/dates.js';
import { isTooLateAsOf, latestAsOf } from '../fhir/latest-as-of.js';

export const USAGE = `usage: fhir-prescreen find (--study ID[,ID…] | --all-studies) (--input DIR | --export URL)
         [--as-of YYYY-MM-DD] [--out DIR] [--database URL] [--resume] [--workers N] [--workers-from-queue]
       fhir-prescreen find --study ID --workers-from-queue [--database URL] [--workers N] [--idle-exit S]
         [--client-id ID --private-key FILE [--key-id KID] [--scope SCOPES]]

  --study ID[,ID…] the study, or several separated by commas: one pass over the export, one run
                   (run row, worklist, funnel, problems) per study
  --all-studies    every study folder under MAPPINGS_DIR

  --input DIR      a folder of Bulk Data NDJSON (<Type>.ndjson or <Type>.NNN.ndjson)
  --export URL     kick off a Bulk Data export: <base>/Patient/$export or <base>/Group/<id>/$export
  --as-of DAY      screening date, at most tomorrow (default: today, UTC)
  --out DIR        worklist, funnel and problem reports (default: runs/<run id>); with several
                   studies, DIR/<study id> each
  --database URL   PostgreSQL (default: DATABASE_URL, else embedded PGlite in DATA_DIR)
  --resume         continue the latest unfinished run of each study and date
  --workers N      screening threads (default: one per core with PostgreSQL, one with PGlite)
  --batch-size N   patients per results transaction (default 200)
  --full           with --export: a full export even when a previous run saved a transactionTime
  --workers-from-queue
                   PostgreSQL only: share screening with other machines through pg-boss. With
                   --input/--export this process runs the passes, publishes patient chunks and
                   screens too; without, it helps: takes chunks until the run it helped is over.
                   One study only
  --queue-schema S pg-boss schema (default pgboss)
  --idle-exit S    a helper gives up after S seconds without a chunk (default 600)
  --client-id, --private-key, --key-id, --scope
                   SMART Backend Services for --export (private_key_jwt; key as JWK or PKCS#8 PEM)`;

export interface CliOptions {
  /** The studies named by --study, in order (empty with --all-studies). */
  studyIds: string[];
  /** --all-studies: every study folder, found when the run starts. */
  allStudies: boolean;
  input?: string;
  exportUrl?: string;
  asOf: string;
  outDir?: string;
  databaseUrl?: string;
  resume: boolean;
  /** Screening threads; undefined: the default for the storage (defaultWorkers). */
  workers?: number;
  batchSize?: number;
  clientId?: string;
  privateKeyFile?: string;
  keyId?: string;
  scope?: string;
  workersFromQueue: boolean;
  queueSchema?: string;
  idleExitSeconds: number;
  full: boolean;
}

/**
 * Screening threads when --workers is not given. With PostgreSQL, one per core. With the
 * embedded PGlite the main thread runs the database, and its writes take longer than a
 * patient's screening, so one screening thread keeps up and a second would only idle,
 * at the cost of resident memory for its own heap and its copy of the study.
 */
export function defaultWorkers(storage: 'pglite' | 'postgres', cores: number = availableParallelism()): number {
  return storage === 'pglite' ? 1 : Math.max(1, cores);
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
        'all-studies': { type: 'boolean', default: false },
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
        'workers-from-queue': { type: 'boolean', default: false },
        'queue-schema': { type: 'string' },
        'idle-exit': { type: 'string' },
        full: { type: 'boolean', default: false },
      },
      strict: true,
      allowPositionals: false,
    }));
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
  const str = (name: string): string | undefined => (typeof values[name] === 'string' ? (values[name] as string) : undefined);
  const study = str('study');
  const allStudies = values['all-studies'] === true;
  if (study !== undefined && allStudies) throw new UsageError('give --study or --all-studies, not both');
  if (study === undefined && !allStudies) throw new UsageError('--study (or --all-studies) is required');
  const studyIds = study === undefined ? [] : study.split(',');
  if (studyIds.some((id) => id === '')) throw new UsageError('--study takes study ids separated by commas, none empty');
  const twice = studyIds.find((id, i) => studyIds.indexOf(id) !== i);
  if (twice !== undefined) throw new UsageError(`--study names ${JSON.stringify(twice)} twice`);
  const input = str('input');
  const exportUrl = str('export');
  const workersFromQueue = values['workers-from-queue'] === true;
  if (workersFromQueue && (allStudies || studyIds.length > 1)) throw new UsageError('--workers-from-queue takes one study');
  if (input !== undefined && exportUrl !== undefined) throw new UsageError('give exactly one of --input and --export');
  if (input === undefined && exportUrl === undefined && !workersFromQueue) throw new UsageError('give exactly one of --input and --export');
  const asOf = str('as-of') ?? today;
  if (parseIsoDay(asOf) === undefined) throw new UsageError('--as-of must be a date YYYY-MM-DD');
  if (isTooLateAsOf(asOf, today)) throw new UsageError(`--as-of must not be later than tomorrow (UTC), ${latestAsOf(today)}: there are no data for a later date yet`);
  let workers: number | undefined;
  const w = str('workers');
  if (w !== undefined) {
    if (!/^\d+$/.test(w) || Number(w) < 1 || Number(w) > 256) throw new UsageError('--workers must be an integer from 1 to 256');
    workers = Number(w);
  }
  let idleExitSeconds = 600;
  const idle = str('idle-exit');
  if (idle !== undefined) {
    if (!/^\d+$/.test(idle)) throw new UsageError('--idle-exit must be a number of seconds');
    idleExitSeconds = Number(idle);
  }
  const queueSchema = str('queue-schema');
  if (queueSchema !== undefined && !/^[a-z_][a-z0-9_]{0,62}$/.test(queueSchema)) throw new UsageError('--queue-schema must be a lower-case SQL identifier');
  const options: CliOptions = { studyIds, allStudies, asOf, resume: values['resume'] === true, workersFromQueue, idleExitSeconds, full: values['full'] === true };
  if (workers !== undefined) options.workers = workers;
  if (queueSchema !== undefined) options.queueSchema = queueSchema;
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
