// `fhir-prescreen find …`: the nightly patient finder's command line. Exit 0 when the run
// finished (complete, or partial when the export reported error files), 1 with one clear line
// on a fatal error, 2 on bad usage. stdout gets a one-line JSON summary per study; stderr the
// logs and, on a terminal, the progress bar.

import { pathToFileURL } from 'node:url';
import { join } from 'node:path';
import { pino, type Logger } from 'pino';
import { DataDirInUseError } from '../storage/data-dir-lock.js';
import { openRunStorage, type RunStorage } from '../storage/open-run-storage.js';
import { compilePgliteLean } from '../storage/pglite-connection.js';
import { BatchConfigError, readBatchEnv, type BatchEnv } from './batch-config.js';
import { defaultWorkers, parseFindArgs, UsageError, USAGE, type CliOptions } from './cli-args.js';
import { listStudyIds } from '../screening/study-identity.js';
import { checkStudies, entryPrefilterOf, FindError, findForStudies } from './find-patients.js';
import { mergeDeltaFolder } from './delta-merge.js';
import { ProblemReport } from './problem-report.js';
import { createProgress } from './progress.js';
import type { ScreenQueue } from './screen-queue.js';

export interface CliIo {
  stdout: NodeJS.WritableStream;
  stderr: NodeJS.WriteStream | NodeJS.WritableStream;
  env: Record<string, string | undefined>;
  now: () => Date;
}

const defaultIo = (): CliIo => ({ stdout: process.stdout, stderr: process.stderr, env: process.env, now: () => new Date() });

export async function runCli(argv: string[], io: CliIo = defaultIo()): Promise<number> {
  const [command, ...rest] = argv;
  if (command === undefined || command === '--help' || command === '-h' || command === 'help') {
    io.stdout.write(`${USAGE}\n`);
    return command === undefined ? 2 : 0;
  }
  if (command !== 'find') {
    io.stderr.write(`unknown command ${JSON.stringify(command)}\n${USAGE}\n`);
    return 2;
  }
  if (rest.includes('--help') || rest.includes('-h')) {
    io.stdout.write(`${USAGE}\n`);
    return 0;
  }
  let options: CliOptions;
  try {
    options = parseFindArgs(rest, io.now().toISOString().slice(0, 10));
  } catch (error) {
    if (error instanceof UsageError) {
      io.stderr.write(`fhir-prescreen find: ${error.message}\n${USAGE}\n`);
      return 2;
    }
    throw error;
  }
  try {
    return await find(options, io);
  } catch (error) {
    io.stderr.write(`fhir-prescreen find: ${fatalMessage(error)}\n`);
    return 1;
  }
}

async function find(options: CliOptions, io: CliIo): Promise<number> {
  const env = readBatchEnv(io.env);
  const logger = pino(
    {
      level: env.logLevel,
      base: { name: 'fhir-prescreen-find' },
      redact: ['*.access_token', '*.client_assertion', '*.privateKey', 'access_token'],
    },
    pino.destination({ fd: 2, sync: true }),
  );
  const tty = io.stderr === process.stderr && process.stderr.isTTY ? process.stderr : undefined;
  const progress = createProgress({ logger, tty, logEvery: 1000 });
  const databaseUrl = options.databaseUrl ?? env.databaseUrl;
  if (options.workersFromQueue && databaseUrl === undefined) {
    throw new FindError('--workers-from-queue needs PostgreSQL: give --database postgres://… or set DATABASE_URL');
  }
  const studyIds = options.allStudies ? listStudyIds(env.mappingsDir) : options.studyIds;
  if (studyIds.length === 0) throw new FindError(`no study folder under ${env.mappingsDir}`);
  // Before the database opens: a misspelt study costs no start-up.
  await checkStudies(env.mappingsDir, studyIds);
  const workers = options.workers ?? defaultWorkers(databaseUrl === undefined ? 'pglite' : 'postgres');
  if (databaseUrl === undefined) compilePgliteLean();
  const storage = await openRunStorage(databaseUrl !== undefined ? { databaseUrl } : { dataDir: env.dataDir, role: 'the nightly finder' });
  // pg-boss and the Bulk Data client (jose) load only for the runs that use them: a plain run
  // on local files starts sooner, which counts when a whole export is screened in seconds.
  const queue = options.workersFromQueue
    ? await (await import('./screen-queue.js')).ScreenQueue.open({ databaseUrl: databaseUrl!, ...(options.queueSchema === undefined ? {} : { schema: options.queueSchema }) })
    : undefined;
  try {
    if (queue && options.input === undefined && options.exportUrl === undefined) {
      return await helpOnly(studyIds[0]!, options, env, storage, queue, logger, io);
    }
    let input = options.input;
    let source: string | undefined;
    let transactionTime: string | undefined;
    let exportErrorFiles = 0;
    let fromStore: { touched: ReadonlySet<string> } | undefined;
    let cleanup: (() => Promise<void>) | undefined;
    if (options.exportUrl !== undefined) {
      // `_since` only when the store holds the candidates' records to merge a delta into, and
      // for one study: a delta is merged into each study's store, and a new candidate of any
      // study would need a full export anyway.
      const canMerge = !options.full && !options.resume && studyIds.length === 1 && (await storage.runs.resourcePatients(studyIds[0]!)).size > 0;
      const since = canMerge ? await storage.runs.lastTransactionTime(studyIds[0]!) : undefined;
      const { exportToFolder } = await import('./export-source.js');
      let exported = await exportToFolder({ options, since, logger });
      if (since !== undefined) {
        const problems = new ProblemReport((p) => logger.warn({ file: p.file, line: p.line, reason: p.reason }, 'delta problem skipped'));
        const merge = await mergeDeltaFolder({
          dir: exported.dir,
          deletedPaths: exported.deletedPaths,
          studyId: studyIds[0]!,
          mergeId: `delta:${exported.transactionTime}`,
          prefilter: await entryPrefilterOf(env.mappingsDir, studyIds[0]!),
          storage,
          problems,
        });
        if (merge.merged) {
          fromStore = { touched: merge.touched };
          logger.info({ since, touched: merge.touched.size, upserts: merge.upserts, deletes: merge.deletes }, 'delta merged into the resource store');
        } else {
          // New candidates' earlier history is not in a delta: take everything once more.
          logger.info({ since, newCandidates: merge.newCandidates }, 'the delta brings new candidates: running a full export');
          await exported.cleanup();
          exported = await exportToFolder({ options, since: undefined, logger });
        }
      }
      input = exported.dir;
      source = `export:${redactUrl(options.exportUrl)}${fromStore ? ' (_since delta)' : ''}`;
      transactionTime = exported.transactionTime;
      exportErrorFiles = exported.errorFiles;
      cleanup = exported.cleanup;
    }
    try {
      const results = await findForStudies(
        {
          studyIds,
          asOf: options.asOf,
          input: input!,
          ...(source === undefined ? {} : { source }),
          ...(options.outDir === undefined ? {} : { outDir: options.outDir }),
          resume: options.resume,
          workers,
          ...(options.batchSize === undefined ? {} : { writeBatch: options.batchSize, jobBatch: Math.min(16, options.batchSize) }),
          mappingsDir: env.mappingsDir,
          canonicalBase: env.canonicalBase,
          logger,
          progress,
          ...(transactionTime === undefined ? {} : { transactionTime }),
          exportErrorFiles,
          ...(fromStore === undefined ? {} : { fromStore }),
          ...(queue === undefined ? {} : { queue: { queue } }),
        },
        storage,
      );
      // One summary line per study, in the order named.
      for (const result of results) {
        io.stdout.write(
          JSON.stringify({
            runId: result.run.id,
            status: result.run.status,
            resumed: result.resumed,
            studyId: result.run.studyId,
            asOf: result.run.asOf,
            out: result.outDir,
            population: result.counts.population,
            screened: result.counts.screened,
            stored: result.counts.stored,
            byStatus: result.counts.byStatus,
            worklistChanges: result.worklist.length,
            problems: result.counts.problemTotal,
            ...(result.counts.touched === undefined ? {} : { delta: true, touched: result.counts.touched }),
            ...(result.counts.queueChunks === undefined ? {} : { queueChunks: result.counts.queueChunks }),
          }) + '\n',
        );
      }
      return 0;
    } finally {
      await cleanup?.();
    }
  } finally {
    await queue?.close();
    await storage.close();
  }
}

/** `find --workers-from-queue` without a source: a helper machine. */
async function helpOnly(studyId: string, options: CliOptions, env: BatchEnv, storage: RunStorage, queue: ScreenQueue, logger: Logger, io: CliIo): Promise<number> {
  const { ChunkScreener, helpWithQueue } = await import('./screen-queue.js');
  const screener = new ChunkScreener({ storage, queue, mappingsDir: env.mappingsDir, canonicalBase: env.canonicalBase, workers: options.workers ?? defaultWorkers('postgres'), logger });
  try {
    logger.info({ studyId }, 'helping with queued screening');
    await helpWithQueue(screener, storage, { studyId, idleExitMs: options.idleExitSeconds * 1000 });
  } finally {
    await screener.close();
  }
  io.stdout.write(JSON.stringify({ mode: 'queue-helper', studyId, runs: screener.runIds, chunks: screener.chunks, screened: screener.patients }) + '\n');
  return 0;
}

function fatalMessage(error: unknown): string {
  if (error instanceof FindError || error instanceof BatchConfigError || error instanceof DataDirInUseError) return error.message;
  if (error instanceof Error && error.name === 'DatabaseUnreachableError') return error.message;
  if (error instanceof Error && error.name === 'MappingError') return error.message;
  if (error instanceof Error && error.name === 'BulkExportError') return error.message;
  // Anything else: its kind, and its message only when it cannot quote patient data.
  return error instanceof Error ? `${error.name}: ${error.message}` : 'unexpected error';
}

/** An export URL as recorded and logged: no userinfo, no query. */
function redactUrl(url: string): string {
  try {
    const u = new URL(url);
    return `${u.protocol}//${u.host}${u.pathname}`;
  } catch {
    return 'invalid-url';
  }
}

// Run directly (node dist/src/batch/cli.js find …, tsx src/batch/cli.ts find …).
if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  process.exitCode = await runCli(process.argv.slice(2));
}
