// npm run bench:find [-- --patients 100000] [-- --export DIR] [-- --keep]
//   [-- --database postgres://…]  store in PostgreSQL (a fresh schema) instead of PGlite
//   [-- --both]                   with --database: PGlite and PostgreSQL on the same export
//   [-- --workers N]              screening threads (default: the CLI's, one on PGlite and
//                                 one per core on PostgreSQL)
//   [-- --no-floor]               skip the JSON.parse floor
//   [-- --rounds N]               later nights run N times each (default 3)
// The nightly finder on a generated export (tools/cohort: ~1 % myositis for belimumab-iim,
// ~10 % of adults with type 2 diabetes for glp1-ckd, ~68 resources a patient; `--export DIR`
// reuses one `npm run generate` wrote). For each storage, on one fresh database:
//   glp1-ckd, then belimumab-iim   each study's first night: a fresh DATA_DIR (its database
//                      created in the run, from the empty one `npm run build` saves) or a fresh
//                      schema, then the first night of the other study on the same store
//   then, N rounds of later nights on the same export, in turn:
//     glp1-ckd, belimumab-iim      each study alone
//     both             --study belimumab-iim,glp1-ckd: one pass for the two
//   (a later night finds the records it stores already there, and compares with the run
//   before, which a first does not). The machine's speed drifts by tens of percent from one
//   minute to the next, so each later night is reported per round and as the median of its
//   rounds, and the two-study night is compared with the slower study's own of the same round
//   (the median and range of those ratios).
// Each is `fhir-prescreen find` as production runs it: plain node on the compiled CLI (bench:find
// builds), in a child process measured from outside by GNU time (wall time, and the child's peak
// resident memory, worker threads included: they share the process). The floor child reads every
// line of every file and JSON.parses it (what "merely parsing" costs). The 1-minute load average
// before each child is reported: the figures are only as quiet as the machine.
// Speed is measured here, never asserted.

import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { availableParallelism, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const SELF = fileURLToPath(import.meta.url);
const ROOT = fileURLToPath(new URL('..', import.meta.url));
const CLI = join(ROOT, 'dist/src/batch/cli.js');
const TIME = '/usr/bin/time';
const AS_OF = '2026-10-26';
const args = process.argv.slice(2);

interface Measured {
  seconds: number;
  /** User + system CPU time of the child (all its threads): what the load does not inflate. */
  cpuSeconds: number;
  maxRssMb: number;
  /** 1-minute load average when the child started. */
  load: number;
  stdout: string;
}

async function floorChild(dir: string): Promise<void> {
  const { decodeLine, scanLines } = await import('../src/batch/line-scanner.js');
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
  process.stdout.write(`${JSON.stringify({ lines, bad })}\n`);
}

/** A child process, timed and measured by GNU time. */
function measured(argv: string[], env: Record<string, string>): Measured {
  const out = join(mkdtempSync(join(tmpdir(), 'bench-find-time-')), 'time.txt');
  const load = loadavg()[0]!;
  const result = spawnSync(TIME, ['-f', '%e %M %U %S', '-o', out, process.execPath, ...argv], {
    cwd: ROOT,
    env: { ...process.env, LOG_LEVEL: 'warn', ...env },
    encoding: 'utf8',
    maxBuffer: 64 << 20,
  });
  const [seconds, kb, user, system] = readFileSync(out, 'utf8').trim().split('\n').at(-1)!.split(' ').map(Number);
  rmSync(join(out, '..'), { recursive: true, force: true });
  if (result.status !== 0) throw new Error(`child failed (${result.status}): ${result.stderr.slice(-2000)}`);
  return { seconds: seconds!, cpuSeconds: user! + system!, maxRssMb: kb! / 1024, load, stdout: result.stdout };
}

interface Night {
  label: string;
  studies: string[];
  night: 'first' | 'later';
}

/** First nights, once: each study's on the fresh store, then the one it starts from. */
const FIRST_NIGHTS: Night[] = [
  { label: 'glp1-ckd', studies: ['glp1-ckd'], night: 'first' },
  { label: 'belimumab-iim', studies: ['belimumab-iim'], night: 'first' },
];
/** Later nights, run --rounds times in turn, so that the machine's drift falls on each alike. */
const LATER_NIGHTS: Night[] = [
  { label: 'glp1-ckd', studies: ['glp1-ckd'], night: 'later' },
  { label: 'belimumab-iim', studies: ['belimumab-iim'], night: 'later' },
  { label: 'both in one run', studies: ['belimumab-iim', 'glp1-ckd'], night: 'later' },
];

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

async function main(): Promise<void> {
  if (args[0] === '--floor-child') return floorChild(args[1]!);
  if (!existsSync(TIME)) throw new Error(`${TIME} (GNU time) measures the children from outside: apt-get install time`);
  if (!existsSync(CLI)) throw new Error('run `npm run build` first (npm run bench:find does)');

  const option = (name: string): string | undefined => {
    const i = args.indexOf(name);
    return i >= 0 ? args[i + 1] : undefined;
  };
  const patients = Number(option('--patients') ?? '100000');
  const keep = args.includes('--keep');
  const database = option('--database');
  const workers = option('--workers');
  const rounds = Number(option('--rounds') ?? '3');
  if (!Number.isInteger(rounds) || rounds < 1) throw new Error('--rounds takes a whole number of at least 1');
  const given = option('--export');
  const storages: (string | undefined)[] = database === undefined ? [undefined] : args.includes('--both') ? [undefined, database] : [database];
  process.stderr.write(`${new Date().toISOString()} ${availableParallelism()} cores, node ${process.version}, workers: ${workers ?? 'default'}\n`);

  const root = mkdtempSync(join(tmpdir(), `bench-find-${patients}-`));
  const rows: string[] = [
    '| storage | studies | night | round | s | CPU s | peak RSS MB | screened | stored | load at start |',
    '| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |',
  ];
  const medians: string[] = [
    `| storage | later night (median of ${rounds}) | s | CPU s | peak RSS MB (highest) | vs the slower study alone, same round: median (range), wall / CPU |`,
    '| --- | --- | --- | --- | --- | --- |',
  ];
  try {
    let dir = given;
    if (dir === undefined) {
      dir = join(root, 'export');
      const { writeCohort } = await import('../tools/cohort/write-cohort.js');
      const g0 = performance.now();
      const summary = writeCohort({ patients, seed: 'bench-find' }, dir);
      process.stderr.write(`generated ${patients} patients, ${summary.resources} resources in ${((performance.now() - g0) / 1000).toFixed(0)} s\n`);
    }
    const bytes = readdirSync(dir).reduce((s, n) => s + statSync(join(dir, n)).size, 0);
    process.stderr.write(`export: ${dir}, ${(bytes / 1e9).toFixed(2)} GB\n`);
    if (!args.includes('--no-floor')) {
      const floor = measured(['--import', 'tsx', SELF, '--floor-child', dir], {});
      process.stderr.write(`JSON.parse floor: ${floor.seconds.toFixed(1)} s, ${floor.maxRssMb.toFixed(0)} MB, load ${floor.load.toFixed(1)} ${floor.stdout}`);
    }
    for (const db of storages) {
      const name = db === undefined ? 'PGlite' : 'PostgreSQL';
      let env: Record<string, string>;
      let dropSchema: (() => Promise<void>) | undefined;
      if (db === undefined) env = { DATA_DIR: join(root, 'data') };
      else {
        const schema = await freshSchema(db, `bench_find_${process.pid}`);
        env = { DATABASE_URL: schema.url };
        dropSchema = schema.drop;
      }
      /** Each later night's runs, by label, in round order. */
      const later = new Map<string, Measured[]>(LATER_NIGHTS.map((n) => [n.label, []]));
      try {
        const nights = FIRST_NIGHTS.map((night) => ({ night, round: 0 }));
        for (let round = 1; round <= rounds; round++) nights.push(...LATER_NIGHTS.map((night) => ({ night, round })));
        for (const { night, round } of nights) {
          const out = join(root, 'out', name, night.label.replace(/ /g, '-'), `${night.night}-${round}`);
          const m = measured([CLI, 'find', '--study', night.studies.join(','), '--input', dir, '--as-of', AS_OF, '--out', out, ...(workers === undefined ? [] : ['--workers', workers])], env);
          const summaries = m.stdout.trim().split('\n').map((l) => JSON.parse(l) as { screened: number; stored: number });
          if (night.night === 'later') later.get(night.label)!.push(m);
          rows.push(
            `| ${name} | ${night.label} | ${night.night} | ${round || ''} | ${m.seconds.toFixed(1)} | ${m.cpuSeconds.toFixed(1)} | ${m.maxRssMb.toFixed(0)} | ${summaries.map((s) => s.screened).join(' + ')} | ${summaries.map((s) => s.stored).join(' + ')} | ${m.load.toFixed(1)} |`,
          );
          process.stderr.write(`${rows.at(-1)}\n`);
        }
        // Each round's two-study night against the slower single-study night of the same round
        // (minutes apart, so the machine's drift mostly cancels), then the median of the rounds.
        const several = LATER_NIGHTS.filter((n) => n.studies.length > 1);
        const single = LATER_NIGHTS.filter((n) => n.studies.length === 1);
        for (const night of LATER_NIGHTS) {
          const runs = later.get(night.label)!;
          let ratio = '';
          if (several.includes(night)) {
            const perRound = runs.map((m, r) => {
              const slower = single.map((n) => later.get(n.label)![r]!).reduce((a, b) => (b.seconds > a.seconds ? b : a));
              return { wall: m.seconds / slower.seconds, cpu: m.cpuSeconds / slower.cpuSeconds };
            });
            const range = (values: number[]): string => `${median(values).toFixed(2)}× (${Math.min(...values).toFixed(2)}–${Math.max(...values).toFixed(2)})`;
            ratio = `${range(perRound.map((p) => p.wall))} / ${range(perRound.map((p) => p.cpu))}`;
          }
          medians.push(
            `| ${name} | ${night.label} | ${median(runs.map((r) => r.seconds)).toFixed(1)} | ${median(runs.map((r) => r.cpuSeconds)).toFixed(1)} | ${Math.max(...runs.map((r) => r.maxRssMb)).toFixed(0)} | ${ratio} |`,
          );
        }
      } finally {
        await dropSchema?.();
      }
    }
  } finally {
    if (!keep) rmSync(root, { recursive: true, force: true });
  }
  process.stdout.write(`${rows.join('\n')}\n\n${medians.join('\n')}\n`);
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
  await run(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
  await run(`CREATE SCHEMA ${schema}`);
  const url = new URL(databaseUrl);
  url.searchParams.set('options', `-c search_path=${schema}`);
  return { url: url.toString(), drop: () => run(`DROP SCHEMA IF EXISTS ${schema} CASCADE`) };
}

await main();
