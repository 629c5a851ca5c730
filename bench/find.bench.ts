// npm run build && npm run bench:find [-- --sizes 10000,30000,100000] [-- --keep]
//   [-- --database postgres://…]  store in PostgreSQL (a fresh schema per size) instead of PGlite
//   [-- --both]                   with --database: PGlite and PostgreSQL on the same export
//   [-- --workers N]              screening threads (default: the CLI's, one on PGlite and
//                                 one per core on PostgreSQL)
// The nightly finder against generated exports of growing size (tools/cohort: ~1% myositis,
// ~10% of adults with type 2 diabetes, ~69 resources a patient). For each size, two child processes on the same files:
//   floor   read every line of every file and JSON.parse it (what "merely parsing" costs);
//   finder  `fhir-prescreen find` end to end: prefilter, gather, screen on worker threads,
//           store in an embedded PGlite (created beforehand by an init child: initdb is a
//           first run's cost, not a nightly one's), write the worklist and funnel. Plain node
//           on the compiled CLI once `npm run build` has run (bench:find builds), as in production.
// Each child reports its wall time and peak RSS (process.resourceUsage().maxRSS, which counts
// the worker threads: they share the process). Speed is measured here, never asserted.

import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const SELF = fileURLToPath(import.meta.url);
const ROOT = fileURLToPath(new URL('..', import.meta.url));
const args = process.argv.slice(2);

interface ChildFigures {
  seconds: number;
  maxRssMb: number;
  detail?: Record<string, unknown>;
}

function report(figures: ChildFigures): void {
  process.stdout.write(`BENCH ${JSON.stringify(figures)}\n`);
}

async function floorChild(dir: string): Promise<void> {
  const { decodeLine, scanLines } = await import('../src/batch/line-scanner.js');
  const started = performance.now();
  let lines = 0;
  let bad = 0;
  for (const name of readdirSync(dir).sort()) {
    if (!name.endsWith('.ndjson') || name === 'scenarios.ndjson') continue;
    await scanLines(join(dir, name), {
      line(bytes, start, end, lineNumber) {
        lines += 1;
        if (!decodeLine(bytes, start, end, lineNumber).ok) bad += 1;
      },
      tooLong: () => undefined,
    });
  }
  report({ seconds: (performance.now() - started) / 1000, maxRssMb: process.resourceUsage().maxRSS / 1024, detail: { lines, bad } });
}

/** Creating a PGlite database (initdb) costs time and memory once; a nightly job reuses it. */
async function initChild(data: string): Promise<void> {
  const { openRunStorage } = await import('../src/storage/open-run-storage.js');
  const storage = await openRunStorage({ dataDir: data });
  await storage.close();
  report({ seconds: 0, maxRssMb: process.resourceUsage().maxRSS / 1024 });
}

async function finderChild(dir: string, data: string, out: string, workers: string): Promise<void> {
  // The compiled CLI when built (what `fhir-prescreen find` runs in production), else the source.
  const compiled = new URL('../dist/src/batch/cli.js', import.meta.url);
  const { runCli } = (existsSync(fileURLToPath(compiled)) ? await import(compiled.href) : await import('../src/batch/cli.js')) as typeof import('../src/batch/cli.js');
  if (data.startsWith('postgres')) process.env['DATABASE_URL'] = data;
  else process.env['DATA_DIR'] = data;
  process.env['LOG_LEVEL'] = 'warn';
  const started = performance.now();
  let summary = '';
  const code = await runCli(['find', '--study', 'belimumab-iim', '--input', dir, '--as-of', '2026-10-26', '--out', out, ...(workers === 'default' ? [] : ['--workers', workers])], {
    stdout: { write: (s: string) => ((summary += s), true) } as unknown as NodeJS.WritableStream,
    stderr: process.stderr,
    env: process.env,
    now: () => new Date(),
  });
  if (code !== 0) process.exit(code);
  report({ seconds: (performance.now() - started) / 1000, maxRssMb: process.resourceUsage().maxRSS / 1024, detail: JSON.parse(summary) as Record<string, unknown> });
}

/**
 * The finder child runs as production does when the CLI is built: plain node on the compiled
 * JavaScript, without tsx, whose loader adds resident memory of its own. This script is
 * TypeScript, so that child is the short ES module below, written to a temporary file (not
 * node -e: worker threads inherit the flags, and --input-type breaks them).
 */
const COMPILED_FINDER_CHILD = `
  const [dir, data, out, workers] = process.argv.slice(2);
  const { runCli } = await import(${JSON.stringify(new URL('../dist/src/batch/cli.js', import.meta.url).href)});
  if (data.startsWith('postgres')) process.env.DATABASE_URL = data; else process.env.DATA_DIR = data;
  process.env.LOG_LEVEL = 'warn';
  const started = performance.now();
  let summary = '';
  const code = await runCli(['find', '--study', 'belimumab-iim', '--input', dir, '--as-of', '2026-10-26', '--out', out, ...(workers === 'default' ? [] : ['--workers', workers])], {
    stdout: { write: (s) => ((summary += s), true) }, stderr: process.stderr, env: process.env, now: () => new Date() });
  if (code !== 0) process.exit(code);
  process.stdout.write('BENCH ' + JSON.stringify({ seconds: (performance.now() - started) / 1000, maxRssMb: process.resourceUsage().maxRSS / 1024, detail: JSON.parse(summary) }) + '\\n');
`;

function child(mode: string, ...rest: string[]): ChildFigures {
  const compiled = mode === '--finder-child' && existsSync(fileURLToPath(new URL('../dist/src/batch/cli.js', import.meta.url)));
  let argv = ['--import', 'tsx', SELF, mode, ...rest];
  if (compiled) {
    const script = join(mkdtempSync(join(tmpdir(), 'bench-find-child-')), 'finder-child.mjs');
    writeFileSync(script, COMPILED_FINDER_CHILD);
    argv = [script, ...rest];
  }
  const result = spawnSync(process.execPath, argv, { cwd: ROOT, encoding: 'utf8', maxBuffer: 64 << 20 });
  if (compiled) rmSync(dirname(argv[0]!), { recursive: true, force: true });
  const line = result.stdout.split('\n').find((l) => l.startsWith('BENCH '));
  if (result.status !== 0 || !line) throw new Error(`${mode} child failed (${result.status}): ${result.stderr.slice(-2000)}`);
  return JSON.parse(line.slice(6)) as ChildFigures;
}

async function main(): Promise<void> {
  if (args[0] === '--floor-child') return floorChild(args[1]!);
  if (args[0] === '--finder-child') return finderChild(args[1]!, args[2]!, args[3]!, args[4]!);
  if (args[0] === '--init-child') return initChild(args[1]!);

  const sizesArg = args.indexOf('--sizes');
  const sizes = (sizesArg >= 0 ? args[sizesArg + 1]! : '10000,30000').split(',').map(Number);
  const keep = args.includes('--keep');
  const dbArg = args.indexOf('--database');
  const database = dbArg >= 0 ? args[dbArg + 1]! : undefined;
  const wArg = args.indexOf('--workers');
  const workers = wArg >= 0 ? args[wArg + 1]! : 'default';
  process.stderr.write(`storage: ${database === undefined ? 'PGlite' : 'PostgreSQL'}, workers: ${workers}\n`);
  const { writeCohort } = await import('../tools/cohort/write-cohort.js');
  const rows: string[] = [];
  rows.push('| patients | storage | export MB | resources | generate s | JSON.parse floor s | floor RSS MB | finder s | finder RSS MB | finder / floor | patients/s | stored | screened |');
  rows.push('| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |');
  const storages: (string | undefined)[] = database === undefined ? [undefined] : args.includes('--both') ? [undefined, database] : [database];
  for (const patients of sizes) {
    const root = mkdtempSync(join(tmpdir(), `bench-find-${patients}-`));
    const dir = join(root, 'export');
    try {
      const g0 = performance.now();
      const summary = writeCohort({ patients, seed: 'bench-find', myositisRate: 0.01 }, dir);
      const generate = (performance.now() - g0) / 1000;
      const bytes = readdirSync(dir).reduce((s, n) => s + statSync(join(dir, n)).size, 0);
      const floor = child('--floor-child', dir);
      for (const db of storages) {
        let data = join(root, `data-${db === undefined ? 'pglite' : 'pg'}`);
        let dropSchema: (() => Promise<void>) | undefined;
        if (db === undefined) child('--init-child', data);
        else ({ url: data, drop: dropSchema } = await freshSchema(db, `bench_find_${patients}_${process.pid}`));
        let finder: ChildFigures;
        try {
          finder = child('--finder-child', dir, data, join(root, 'out'), workers);
        } finally {
          await dropSchema?.();
        }
        const d = finder.detail as { stored: number; screened: number };
        rows.push(
          `| ${patients} | ${db === undefined ? 'PGlite' : 'PostgreSQL'} | ${(bytes / 1e6).toFixed(0)} | ${summary.resources} | ${generate.toFixed(1)} | ${floor.seconds.toFixed(1)} | ${floor.maxRssMb.toFixed(0)} | ${finder.seconds.toFixed(1)} | ${finder.maxRssMb.toFixed(0)} | ${(finder.seconds / floor.seconds).toFixed(2)} | ${(patients / finder.seconds).toFixed(0)} | ${d.stored} | ${d.screened} |`,
        );
        process.stderr.write(`${rows.at(-1)}\n`);
      }
    } finally {
      if (!keep) rmSync(root, { recursive: true, force: true });
    }
  }
  process.stdout.write(`${rows.join('\n')}\n`);
}

/** A schema of its own in the bench PostgreSQL, as a URL whose search_path selects it. */
async function freshSchema(databaseUrl: string, schema: string): Promise<{ url: string; drop(): Promise<void> }> {
  const { default: pg } = await import('pg');
  const run = async (sql: string): Promise<void> => {
    const client = new pg.Client({ connectionString: databaseUrl });
    await client.connect();
    try {
      await client.query(sql);
    } finally {
      await client.end();
    }
  };
  await run(`CREATE SCHEMA ${schema}`);
  const url = new URL(databaseUrl);
  url.searchParams.set('options', `-c search_path=${schema}`);
  return { url: url.toString(), drop: () => run(`DROP SCHEMA IF EXISTS ${schema} CASCADE`) };
}

await main();
