// Run history rows and the attrition funnel of the latest finished run, from what the nightly
// finder saves in screening_run.counts (population, notScreened, byStatus, problemTotal and
// `funnel`: [criterion, remaining] in protocol order). Read defensively: a failed run saves
// fewer counts, and an older run may predate a field.

import type { CriterionDefinition } from '../mapping/study.js';
import type { RunSummary } from '../storage/run-history.js';

export interface RunRow {
  id: string;
  asOf: string;
  status: string;
  started: string;
  finished?: string;
  durationMs?: number;
  population?: number;
  screened?: number;
  stored?: number;
  notScreened?: number;
  problems?: number;
  byStatus: Record<string, number>;
}

export interface FunnelStepView {
  criterion: string;
  seed: string;
  title: string;
  type: 'inclusion' | 'exclusion';
  remaining: number;
  dropped: number;
}

export interface FunnelView {
  runId: string;
  asOf: string;
  population: number;
  notScreened: number;
  /** Screened patients the first step starts from. */
  start: number;
  steps: FunnelStepView[];
  final: number;
}

function count(value: unknown): number | undefined {
  return typeof value === 'number' && Number.isFinite(value) ? value : undefined;
}

export function runRow(run: RunSummary): RunRow {
  const c = run.counts;
  const byStatus: Record<string, number> = {};
  if (typeof c['byStatus'] === 'object' && c['byStatus'] !== null) {
    for (const [k, v] of Object.entries(c['byStatus'] as Record<string, unknown>)) {
      const n = count(v);
      if (n !== undefined) byStatus[k] = n;
    }
  }
  const row: RunRow = { id: run.id, asOf: run.asOf, status: run.status, started: run.started, byStatus };
  if (run.finished !== undefined) {
    row.finished = run.finished;
    row.durationMs = Math.max(0, Date.parse(run.finished) - Date.parse(run.started));
  }
  const fields: [keyof RunRow, string][] = [
    ['population', 'population'],
    ['screened', 'screened'],
    ['stored', 'stored'],
    ['notScreened', 'notScreened'],
    ['problems', 'problemTotal'],
  ];
  for (const [key, name] of fields) {
    const n = count(c[name]);
    if (n !== undefined) (row as unknown as Record<string, number>)[key] = n;
  }
  return row;
}

/** The funnel of the newest run (of those given, newest first) that saved one. */
export function latestFunnel(runs: readonly RunSummary[], criteria: readonly CriterionDefinition[]): FunnelView | undefined {
  const byId = new Map(criteria.map((c) => [c.id, c]));
  for (const run of runs) {
    const raw = run.counts['funnel'];
    const population = count(run.counts['population']);
    if (!Array.isArray(raw) || population === undefined) continue;
    const notScreened = count(run.counts['notScreened']) ?? 0;
    const start = population - notScreened;
    let previous = start;
    const steps: FunnelStepView[] = [];
    for (const entry of raw) {
      if (!Array.isArray(entry) || typeof entry[0] !== 'string' || count(entry[1]) === undefined) continue;
      const criterion = entry[0];
      const remaining = entry[1] as number;
      const definition = byId.get(criterion);
      steps.push({
        criterion,
        seed: definition?.seed ?? '',
        title: definition?.title ?? criterion,
        type: definition?.type ?? (criterion.startsWith('exc-') ? 'exclusion' : 'inclusion'),
        remaining,
        dropped: Math.max(0, previous - remaining),
      });
      previous = remaining;
    }
    if (steps.length === 0) continue;
    return { runId: run.id, asOf: run.asOf, population, notScreened, start, steps, final: previous };
  }
  return undefined;
}
