// How often each rule misled: clinicians' CDS card overrides and coordinators' screen-failures
// on a criterion the service had let through, in one table, the most misleading first.

import { getJson } from './api.js';
import { h, replaceChildren } from './dom.js';
import { studyOf, type PageContext } from './page-context.js';
import { studySwitcher } from './study-switcher.js';

interface Row {
  criterion: string;
  seed: string;
  title: string;
  cds: { cards: number; accepted: number; overridden: number };
  screenFailures: { total: number; missed: number; agreed: number };
  misled: number;
}

export async function renderRules(main: HTMLElement, context: PageContext, params: URLSearchParams): Promise<void> {
  const study = studyOf(context, params.get('study'));
  replaceChildren(main, h('h1', { tabindex: '-1' }, 'Rule feedback'), h('p', {}, 'Loading…'));
  if (!study) return;
  const { criteria } = await getJson<{ criteria: Row[] }>(`/app/api/studies/${encodeURIComponent(study.id)}/criterion-summary`);
  const rows = [...criteria].sort((a, b) => b.misled - a.misled);
  const n = (v: number): HTMLTableCellElement => h('td', { class: 'num' }, String(v));
  replaceChildren(main,
    h('h1', { tabindex: '-1' }, 'Rule feedback'),
    studySwitcher(context, study, '/rules'),
    h('p', {}, 'A rule misled when a clinician overrode a CDS card that flagged it, or when a coordinator recorded a screen-failure on it although the service had not failed it.'),
    h('table', { id: 'rules' },
      h('caption', {}, `${study.title}: most misleading first`),
      h('thead', {}, h('tr', {},
        h('th', { scope: 'col' }, 'Criterion'),
        ['Misled', 'CDS cards', 'Accepted', 'Overridden', 'Screen-failures', 'Missed by the service', 'Agreed with the service'].map((t) => h('th', { scope: 'col', class: 'num' }, t)))),
      h('tbody', {}, rows.map((r) => h('tr', { 'data-criterion': r.criterion },
        h('th', { scope: 'row' }, `${r.seed} ${r.title}`, h('br', {}), h('span', { class: 'ids muted' }, r.criterion)),
        n(r.misled), n(r.cds.cards), n(r.cds.accepted), n(r.cds.overridden), n(r.screenFailures.total), n(r.screenFailures.missed), n(r.screenFailures.agreed))))));
}
