// The worklist: stored ResearchSubjects of a study, newest screening first, paged by the FHIR
// search of GET /ResearchSubject (its next/previous links), filtered by status, by "changed
// since the last run" and by "held only by criterion X"; each row with its latest decision.
// The filters live in the URL's hash, so a reload or a shared link shows the same list.

import { getFhir, getJson } from './api.js';
import { h, instant, replaceChildren, type Child } from './dom.js';
import { fails, groupOf, patientLink, readSubject, type ResearchSubjectJson, type SubjectView } from './evaluation.js';
import { DECISION_LABELS, STATUS_LABELS, criterionLabel, studyOf, type Decision, type PageContext } from './page-context.js';

interface Bundle {
  total?: number;
  link?: { relation: string; url: string }[];
  entry?: { resource?: ResearchSubjectJson }[];
}

const PAGE_SIZES = ['20', '50', '100'];

function offsetOf(url: string | undefined): string | undefined {
  return url ? (new URL(url).searchParams.get('_offset') ?? undefined) : undefined;
}

export async function renderWorklist(main: HTMLElement, context: PageContext, params: URLSearchParams): Promise<void> {
  const study = studyOf(context, params.get('study'));
  const status = params.get('status') ?? '';
  const heldBy = params.get('held-by') ?? '';
  const changed = params.get('changed') === 'true';
  const count = PAGE_SIZES.includes(params.get('count') ?? '') ? params.get('count')! : '20';
  const offset = /^\d+$/.test(params.get('offset') ?? '') ? params.get('offset')! : '0';

  const search = new URLSearchParams();
  if (study) search.set('study', study.id);
  if (status) search.set('status', status);
  if (heldBy) search.set('held-by', heldBy);
  if (changed) search.set('changed', 'true');
  search.set('_count', count);
  search.set('_offset', offset);

  const go = (changes: Record<string, string | undefined>): void => {
    const next = new URLSearchParams(params);
    for (const [k, v] of Object.entries(changes)) {
      if (v === undefined || v === '') next.delete(k);
      else next.set(k, v);
    }
    location.hash = `#/?${next.toString()}`;
  };

  const form = h('form', { class: 'filters', 'aria-label': 'Filter the worklist' },
    h('div', { class: 'field' },
      h('label', { for: 'f-study' }, 'Study'),
      h('select', { id: 'f-study', name: 'study' },
        context.config.studies.map((s) => h('option', { value: s.id, selected: s.id === study?.id }, s.title)))),
    h('div', { class: 'field' },
      h('label', { for: 'f-status' }, 'Status'),
      h('select', { id: 'f-status', name: 'status' },
        h('option', { value: '', selected: status === '' }, 'Any status'),
        Object.entries(STATUS_LABELS).map(([v, label]) => h('option', { value: v, selected: v === status }, label)))),
    h('div', { class: 'field' },
      h('label', { for: 'f-held-by' }, 'Held only by criterion'),
      h('select', { id: 'f-held-by', name: 'held-by' },
        h('option', { value: '', selected: heldBy === '' }, 'Any'),
        (study?.criteria ?? []).map((c) => h('option', { value: c.id, selected: c.id === heldBy }, criterionLabel(study, c.id))))),
    h('div', { class: 'field check' },
      h('input', { id: 'f-changed', name: 'changed', type: 'checkbox', checked: changed }),
      h('label', { for: 'f-changed' }, 'Changed since the last run')),
    h('div', { class: 'field' },
      h('label', { for: 'f-count' }, 'Per page'),
      h('select', { id: 'f-count', name: 'count' }, PAGE_SIZES.map((n) => h('option', { value: n, selected: n === count }, n)))),
    h('button', { type: 'submit' }, 'Apply'));
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    const data = new FormData(form);
    go({
      study: String(data.get('study') ?? ''),
      status: String(data.get('status') ?? ''),
      'held-by': String(data.get('held-by') ?? ''),
      changed: data.get('changed') ? 'true' : undefined,
      count: String(data.get('count') ?? ''),
      offset: undefined,
    });
  });
  // Nothing applies until Apply (WCAG 3.2.2): arrowing through a select must not reload the list.

  const results = h('div', { id: 'worklist-results' }, h('p', {}, 'Loading…'));
  replaceChildren(main, h('h1', { tabindex: '-1' }, 'Worklist'), form, results);

  const bundle = await getFhir<Bundle>(`/ResearchSubject?${search.toString()}`);
  const subjects = (bundle.entry ?? []).flatMap((e) => (e.resource ? [readSubject(e.resource)] : []));
  const decisions = new Map<string, Decision>();
  if (subjects.length > 0) {
    const answer = await getJson<{ decisions: Decision[] }>(`/app/api/decisions?subject=${subjects.map((s) => s.id).join(',')}`);
    for (const d of answer.decisions) decisions.set(d.subjectId, d);
  }
  const total = bundle.total ?? subjects.length;
  const first = Number(offset) + 1;
  const last = Number(offset) + subjects.length;
  const next = offsetOf(bundle.link?.find((l) => l.relation === 'next')?.url);
  const previous = offsetOf(bundle.link?.find((l) => l.relation === 'previous')?.url);

  const caption = total === 0 ? 'No patients match.' : `${total} patient${total === 1 ? '' : 's'}; showing ${first}–${last}, newest screening first.`;
  const table = h('table', { id: 'worklist' },
    h('caption', {}, caption),
    h('thead', {}, h('tr', {},
      h('th', { scope: 'col' }, 'Patient'),
      h('th', { scope: 'col' }, 'Status'),
      h('th', { scope: 'col' }, 'Failing criteria or missing data'),
      h('th', { scope: 'col' }, 'Screened as of'),
      h('th', { scope: 'col' }, 'Eligible from'),
      h('th', { scope: 'col' }, 'Decision'),
      h('th', { scope: 'col' }, 'Last updated'))),
    h('tbody', {}, subjects.map((s) => row(s, decisions.get(s.id), context, study))));

  const pager = h('nav', { class: 'pager', 'aria-label': 'Pages' },
    pageButton('Previous page', previous, (o) => go({ offset: o })),
    h('span', { class: 'muted' }, total === 0 ? '' : `Page ${Math.floor(Number(offset) / Number(count)) + 1} of ${Math.max(1, Math.ceil(total / Number(count)))}`),
    pageButton('Next page', next, (o) => go({ offset: o })));
  replaceChildren(results, table, pager);
}

function pageButton(label: string, offset: string | undefined, go: (offset: string) => void): HTMLButtonElement {
  const button = h('button', { type: 'button', class: 'secondary', disabled: offset === undefined }, label);
  button.addEventListener('click', () => offset !== undefined && go(offset));
  return button;
}

/**
 * A row names the data, `Immunoglobulin G`; its codes and the date it must be from
 * (`Immunoglobulin G (LOINC 2465-3): a result since …`) are in the title and the patient view.
 */
function dataName(text: string): string {
  const cut = text.search(/ \(|: /);
  return cut > 0 ? text.slice(0, cut) : text;
}

/**
 * What holds the patient back, in the coordinators' words: the failing criteria by name; for a
 * potential candidate, the data that would decide each open criterion; else nothing.
 */
function whatHolds(s: SubjectView, study: ReturnType<typeof studyOf>): Child {
  const failing = s.criteria.filter(fails);
  if (failing.length > 0) {
    return failing.map((c) => h('div', { 'data-criterion': c.id }, criterionLabel(study, c.id)));
  }
  const open = s.criteria.filter((c) => groupOf(c) === 'data');
  if (open.length > 0) {
    return open.map((c) => {
      const texts = c.missingData.map((m) => m.text).filter((t) => t !== '');
      return h('div', { 'data-criterion': c.id, class: 'missing', title: texts.join('\n') || undefined },
        `${criterionLabel(study, c.id)}: `, h('span', { class: 'muted' }, 'missing '),
        texts.length > 0 ? [...new Set(texts.map(dataName))].join('; ') : (c.reason ?? 'data that would decide it'));
    });
  }
  return h('span', { class: 'muted' }, 'none');
}

function row(s: SubjectView, decision: Decision | undefined, context: PageContext, study: ReturnType<typeof studyOf>): HTMLTableRowElement {
  const ehr = patientLink(context.config.patientLinkTemplate, s.patientRef);
  return h('tr', { 'data-subject': s.id },
    h('th', { scope: 'row' },
      h('a', { href: `#/subject/${encodeURIComponent(s.id)}` }, s.patientRef),
      ehr ? [' ', h('a', { href: ehr, target: '_blank', rel: 'noopener noreferrer', class: 'muted', 'aria-label': `Open ${s.patientRef} in the EHR` }, 'EHR')] : null),
    h('td', {}, h('span', { class: `badge ${s.status}` }, STATUS_LABELS[s.status] ?? s.status)),
    h('td', { class: 'failing' }, whatHolds(s, study)),
    h('td', {}, s.asOf ?? ''),
    h('td', {}, s.eligibleFrom ?? ''),
    h('td', { class: 'decision-cell' }, decision
      ? [h('span', { class: 'badge decision' }, DECISION_LABELS[decision.decision] ?? decision.decision),
         decision.criterionId ? [' ', h('span', { 'data-criterion': decision.criterionId }, criterionLabel(study, decision.criterionId))] : null,
         h('br', {}), h('span', { class: 'muted' }, instant(decision.decidedAt))]
      : h('span', { class: 'muted' }, '—')),
    h('td', {}, instant(s.lastUpdated)));
}
