// The nightly runs (date, counts, duration) and the latest finished run's attrition funnel: a
// bar per criterion of the patients still in, with the same numbers as a table for screen
// readers and for copying.

import { getJson } from './api.js';
import { h, instant, replaceChildren, svg } from './dom.js';
import { studyOf, type PageContext } from './page-context.js';
import { studySwitcher } from './study-switcher.js';
// Types only (erased when compiled): the browser and the API share the shape of the run report.
import type { FunnelView, RunRow } from '../run-report.js';

function duration(ms: number | undefined): string {
  if (ms === undefined) return '';
  if (ms < 1000) return `${ms} ms`;
  const s = Math.round(ms / 1000);
  return s < 60 ? `${s} s` : `${Math.floor(s / 60)} min ${s % 60} s`;
}

const num = (n: number | undefined): string => (n === undefined ? '' : String(n));

export async function renderRuns(main: HTMLElement, context: PageContext, params: URLSearchParams): Promise<void> {
  const study = studyOf(context, params.get('study'));
  replaceChildren(main, h('h1', { tabindex: '-1' }, 'Nightly runs'), h('p', {}, 'Loading…'));
  if (!study) return;
  const { runs, funnel } = await getJson<{ runs: RunRow[]; funnel: FunnelView | null }>(`/app/api/studies/${encodeURIComponent(study.id)}/runs`);
  const table = runs.length === 0
    ? h('p', {}, 'No nightly run has been recorded for this study yet (npm run find).')
    : h('table', { id: 'runs' },
        h('caption', {}, `${study.title}: the last ${runs.length} runs, newest first`),
        h('thead', {}, h('tr', {},
          ['Started', 'As of', 'Status', 'Duration'].map((t) => h('th', { scope: 'col' }, t)),
          ['Population', 'Screened', 'On worklist', 'Candidates', 'Potential', 'Ineligible', 'Problems'].map((t) => h('th', { scope: 'col', class: 'num' }, t)))),
        h('tbody', {}, runs.map((r) => h('tr', {},
          h('td', {}, instant(r.started)), h('td', {}, r.asOf), h('td', {}, r.status), h('td', {}, duration(r.durationMs)),
          [r.population, r.screened, r.stored, r.byStatus['candidate'], r.byStatus['potential-candidate'], r.byStatus['ineligible'], r.problems]
            .map((n) => h('td', { class: 'num' }, num(n)))))));
  replaceChildren(main,
    h('h1', { tabindex: '-1' }, 'Nightly runs'),
    studySwitcher(context, study, '/runs'),
    table,
    h('h2', {}, 'Attrition funnel of the latest run'),
    funnel ? funnelFigure(funnel) : h('p', {}, 'No finished run with a funnel yet.'));
}

function funnelFigure(f: FunnelView): HTMLElement {
  const rowHeight = 18;
  const labelWidth = 250;
  const barWidth = 520;
  const top = 26;
  const height = top + (f.steps.length + 1) * rowHeight + 8;
  const scale = (n: number): number => (f.start > 0 ? Math.max(1, Math.round((n / f.start) * barWidth)) : 1);
  const rows = f.steps.map((s, i) => {
    const y = top + (i + 1) * rowHeight;
    return svg('g', {},
      svg('text', { x: 0, y: y + 13 }, `${s.seed} ${s.criterion}`),
      svg('rect', { class: 'bar', x: labelWidth, y: y + 2, width: scale(s.remaining), height: rowHeight - 5 }),
      s.dropped > 0 ? svg('rect', { class: 'drop', x: labelWidth + scale(s.remaining), y: y + 2, width: Math.max(1, scale(s.dropped)), height: rowHeight - 5 }) : null,
      svg('text', { x: labelWidth + scale(s.remaining + s.dropped) + 6, y: y + 13 }, `${s.remaining}${s.dropped > 0 ? ` (−${s.dropped})` : ''}`));
  });
  const chart = svg('svg', {
      class: 'funnel', role: 'img', viewBox: `0 0 ${labelWidth + barWidth + 90} ${height}`, width: labelWidth + barWidth + 90, height,
      'aria-label': `Attrition funnel, run of ${f.asOf}: ${f.start} screened, ${f.final} remain after every criterion.`,
    },
    svg('text', { x: 0, y: 14 }, `Run as of ${f.asOf}: population ${f.population}, not screened ${f.notScreened}`),
    svg('text', { x: 0, y: top + 13 }, 'screened'),
    svg('rect', { class: 'bar', x: labelWidth, y: top + 2, width: scale(f.start), height: rowHeight - 5 }),
    svg('text', { x: labelWidth + scale(f.start) + 6, y: top + 13 }, String(f.start)),
    rows);
  const table = h('table', {},
    h('caption', {}, 'The funnel as a table'),
    h('thead', {}, h('tr', {}, h('th', { scope: 'col' }, 'Criterion'), h('th', { scope: 'col', class: 'num' }, 'Dropped here'), h('th', { scope: 'col', class: 'num' }, 'Remaining'))),
    h('tbody', {}, f.steps.map((s) => h('tr', {}, h('th', { scope: 'row' }, `${s.seed} ${s.title}`), h('td', { class: 'num' }, String(s.dropped)), h('td', { class: 'num' }, String(s.remaining))))));
  return h('figure', { id: 'funnel' }, chart, h('details', {}, h('summary', {}, 'Show the numbers'), table));
}
