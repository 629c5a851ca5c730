// What the HTTP benchmarks (cds.bench.ts, screen-http.bench.ts) share: their numeric options, one
// autocannon run with the service's CPU per answered call, the result row, the answers ratio of a
// route to its baseline and the README table.

import { readFileSync } from 'node:fs';
import { autocannon } from './autocannon.js';

/** A number after `name` on the command line, or `fallback` when `name` is absent. */
export function numberOption(args: string[], name: string, fallback: number): number {
  const at = args.indexOf(name);
  return at >= 0 ? Number(args[at + 1]) : fallback;
}

/** What one run measured. The field order is the order of the `--json` rows and the table. */
export interface Measured {
  connections: number;
  p50: number;
  p99: number;
  rps: number;
  ok: number;
  /** Non-2xx answers, errors and timeouts alike: none of them is throughput. */
  non2xx: number;
  /** Service CPU (all threads) per answered call, ms. */
  cpuMs: number | undefined;
  /** The request thread's share of it, ms. */
  requestThreadMs: number | undefined;
}

/** A row of a benchmark's output: a named run. */
export interface Row extends Measured {
  scenario: string;
}

/** The service under load: its address and the process id whose CPU time is read. */
export interface Target {
  url: string;
  pid: number | undefined;
}

export interface Load {
  path: string;
  /** One body for every call, or several that each connection cycles through. */
  body: string | string[];
  contentType: string;
  connections: number;
  seconds: number;
}

/**
 * CPU seconds a process has used so far (Linux /proc; undefined elsewhere): all its threads, or
 * its main thread alone (whose task id is the process id), the one that receives, stores and
 * answers every call and saturates first under load. Per answered call it is a figure a busy
 * machine disturbs far less than req/s: other tenants take wall time from both routes unevenly,
 * but not CPU time from each call.
 */
function cpuSeconds(pid: number | undefined, thread?: 'main'): number | undefined {
  const path = thread ? `/proc/${pid}/task/${pid}/stat` : `/proc/${pid}/stat`;
  try {
    // utime and stime, in clock ticks of 1/100 s, after the parenthesised command name.
    const fields = readFileSync(path, 'utf8').split(') ')[1]!.split(' ');
    return (Number(fields[11]) + Number(fields[12])) / 100;
  } catch {
    return undefined;
  }
}

/** POSTs `load` to the service with autocannon and measures it. */
export async function measure(target: Target, load: Load): Promise<Measured> {
  const bodies = typeof load.body === 'string' ? [load.body] : load.body;
  const headers = { 'content-type': load.contentType };
  const before = [cpuSeconds(target.pid), cpuSeconds(target.pid, 'main')];
  const r = await autocannon({
    url: `${target.url}${load.path}`,
    method: 'POST',
    headers,
    ...(bodies.length === 1 ? { body: bodies[0] } : { requests: bodies.map((b) => ({ method: 'POST', path: load.path, headers, body: b })) }),
    connections: load.connections,
    duration: load.seconds,
  });
  const after = [cpuSeconds(target.pid), cpuSeconds(target.pid, 'main')];
  const answered = r['2xx'] + r.non2xx;
  // ms per answered call, to 0.01 ms.
  const perCall = (i: number): number | undefined =>
    before[i] === undefined || after[i] === undefined || answered === 0 ? undefined : Math.round(((after[i]! - before[i]!) * 100_000) / answered) / 100;
  return {
    connections: load.connections,
    p50: r.latency.p50,
    p99: r.latency.p99,
    rps: Math.round(r.requests.average),
    ok: r['2xx'],
    non2xx: r.non2xx + r.errors + r.timeouts,
    cpuMs: perCall(0),
    requestThreadMs: perCall(1),
  };
}

/** 2xx answers of a route per 2xx answer of its baseline, to 0.01: a call shed with 503 is no throughput. */
export function answersRatio(route: Measured, baseline: Measured): number {
  return Math.round((route.ok / Math.max(baseline.ok, 1)) * 100) / 100;
}

/** A table column: its header and a row's cell. */
export type Column<R> = [header: string, cell: (row: R) => string | number];

const measuredColumns: Column<Measured>[] = [
  ['connections', (r) => r.connections],
  ['p50 ms', (r) => r.p50],
  ['p99 ms', (r) => r.p99],
  ['req/s', (r) => r.rps],
  ['2xx', (r) => r.ok],
  ['non-2xx', (r) => r.non2xx],
  ['service CPU ms/call', (r) => r.cpuMs ?? ''],
  ['request thread ms/call', (r) => r.requestThreadMs ?? ''],
];

/**
 * Prints `rows` as the Markdown table the README quotes: the benchmark's own columns (`leading`,
 * the scenario first), then the measured ones. The first column is text, left-aligned; the
 * others are figures, right-aligned.
 */
export function printTable<R extends Measured>(rows: R[], leading: Column<R>[]): void {
  const columns = [...leading, ...measuredColumns];
  console.log(`| ${columns.map(([header]) => header).join(' | ')} |`);
  console.log(`| ${columns.map((_, i) => (i === 0 ? '---' : '---:')).join(' | ')} |`);
  for (const row of rows) console.log(`| ${columns.map(([, cell]) => cell(row)).join(' | ')} |`);
}
