// `fhir-prescreen find …`: the nightly patient finder's command line. Exit 0 when the run
// finished (complete, or partial when the export reported error files), 1 with one clear line
// on a fatal error, 2 on bad usage. stdout gets a one-line JSON summary; stderr the logs and,
// on a terminal, the progress bar.

import { pathToFileURL } from 'node:url';
import { pino } from 'pino';
import { openRunStorage } from '../storage/open-run-storage.js';
import { BatchConfigError, readBatchEnv } from './batch-config.js';
import { parseFindArgs, UsageError, USAGE, type CliOptions } from './cli-args.js';
import { exportToFolder } from './export-source.js';
import { FindError, findPatients } from './find-patients.js';
import { createProgress } from './progress.js';

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
  const storage = await openRunStorage(databaseUrl !== undefined ? { databaseUrl } : { dataDir: env.dataDir });
  try {
    let input = options.input;
    let source: string | undefined;
    let transactionTime: string | undefined;
    let exportErrorFiles = 0;
    let cleanup: (() => Promise<void>) | undefined;
    if (options.exportUrl !== undefined) {
      const since = await storage.runs.lastTransactionTime(options.studyId);
      const exported = await exportToFolder({ options, since, logger });
      input = exported.dir;
      source = `export:${redactUrl(options.exportUrl)}`;
      transactionTime = exported.transactionTime;
      exportErrorFiles = exported.errorFiles;
      cleanup = exported.cleanup;
    }
    try {
      const result = await findPatients(
        {
          studyId: options.studyId,
          asOf: options.asOf,
          input: input!,
          ...(source === undefined ? {} : { source }),
          ...(options.outDir === undefined ? {} : { outDir: options.outDir }),
          resume: options.resume,
          workers: options.workers,
          ...(options.batchSize === undefined ? {} : { writeBatch: options.batchSize, jobBatch: Math.min(16, options.batchSize) }),
          mappingsDir: env.mappingsDir,
          canonicalBase: env.canonicalBase,
          logger,
          progress,
          ...(transactionTime === undefined ? {} : { transactionTime }),
          exportErrorFiles,
        },
        storage,
      );
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
        }) + '\n',
      );
      return 0;
    } finally {
      await cleanup?.();
    }
  } finally {
    await storage.close();
  }
}

function fatalMessage(error: unknown): string {
  if (error instanceof FindError || error instanceof BatchConfigError) return error.message;
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
