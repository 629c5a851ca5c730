// The worklist: stored ResearchSubjects of a study, or of every study, newest screening first,
// paged by the FHIR search of GET /ResearchSubject (its next/previous links), filtered by status,
// by "changed since the last run" and by "held only by criterion X"; each row with its latest
// decision. "Candidates for more than one trial" lists patients instead (several-studies-view.ts).
// The study and the filters live in the URL's hash, so a reload or a shared link shows the same list.

import { getFhir, getJson } from './api.js';
import { h, instant, replaceChildren } from './dom.js';
import { patientLink, readSubject, type ResearchSubjectJson, type SubjectView } from './evaluation.js';
import { ALL_STUDIES, STATUS_LABELS, criterionLabel, studyOf, studyOfReference, type Decision, type PageContext, type StudyInfo } from './page-context.js';
import { renderSeveralStudies } from './several-studies-view.js';
import { decisionSummary, pager, whatHolds } from './worklist-cells.js';

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
  const all = params.get('study') === ALL_STUDIES;
  const study = all ? undefined : studyOf(context, params.get('study'));
  const several = params.get('several') === 'true';
  const status = several ? '' : (params.get('status') ?? '');
  const heldBy = several || all ? '' : (params.get('held-by') ?? '');
  const changed = !several && params.get('changed') === 'true';
  const count = PAGE_SIZES.includes(params.get('count') ?? '') ? params.get('count')! : '20';
  const offset = /^\d+$/.test(params.get('offset') ?? '') ? params.get('offset')! : '0';

  const go = (changes: Record<string, string | undefined>): void => {
    const next = new URLSearchParams(params);
    for (const [k, v] of Object.entries(changes)) {
      if (v === undefined || v === '') next.delete(k);
      else next.set(k, v);
    }
    location.hash = `#/?${next.toString()}`;
  };

  const rowFilters = [
    h('select', { id: 'f-status', name: 'status', disabled: several },
      h('option', { value: '', selected: status === '' }, 'Any status'),
      Object.entries(STATUS_LABELS).map(([v, label]) => h('option', { value: v, selected: v === status }, label))),
    h('select', { id: 'f-held-by', name: 'held-by', disabled: several || all },
      h('option', { value: '', selected: heldBy === '' }, all ? 'Any (choose one study to pick a criterion)' : 'Any'),
      (study?.criteria ?? []).map((c) => h('option', { value: c.id, selected: c.id === heldBy }, criterionLabel(study, c.id)))),
    h('input', { id: 'f-changed', name: 'changed', type: 'checkbox', checked: changed, disabled: several }),
  ] as const;
  const [statusSelect, heldBySelect, changedBox] = rowFilters;
  const severalBox = h('input', { id: 'f-several', name: 'several', type: 'checkbox', checked: several, 'aria-describedby': 'f-several-help' });
  const form = h('form', { class: 'filters', 'aria-label': 'Filter the worklist' },
    h('div', { class: 'field' },
      h('label', { for: 'f-study' }, 'Study'),
      h('select', { id: 'f-study', name: 'study' },
        context.config.studies.length > 1 ? h('option', { value: ALL_STUDIES, selected: all }, 'All studies') : null,
        context.config.studies.map((s) => h('option', { value: s.id, selected: s.id === study?.id }, s.title)))),
    h('div', { class: 'field' }, h('label', { for: 'f-status' }, 'Status'), statusSelect),
    h('div', { class: 'field' }, h('label', { for: 'f-held-by' }, 'Held only by criterion'), heldBySelect),
    h('div', { class: 'field check' }, changedBox, h('label', { for: 'f-changed' }, 'Changed since the last run')),
    context.config.studies.length > 1
      ? h('div', { class: 'field check' }, severalBox,
          h('label', { for: 'f-several' }, 'Candidates for more than one trial'),
          h('span', { id: 'f-several-help', class: 'visually-hidden' }, 'Lists patients who are candidate or potential candidate in two or more studies, with every study side by side; the status, criterion and changed filters do not apply.'))
      : null,
    h('div', { class: 'field' },
      h('label', { for: 'f-count' }, 'Per page'),
      h('select', { id: 'f-count', name: 'count' }, PAGE_SIZES.map((n) => h('option', { value: n, selected: n === count }, n)))),
    h('button', { type: 'submit' }, 'Apply'));
  // The row filters do not apply to the patient list: greyed out while it is ticked.
  severalBox.addEventListener('change', () => {
    statusSelect.disabled = severalBox.checked;
    changedBox.disabled = severalBox.checked;
    heldBySelect.disabled = severalBox.checked || all;
  });
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    const data = new FormData(form);
    go({
      study: String(data.get('study') ?? ''),
      status: String(data.get('status') ?? ''),
      'held-by': String(data.get('held-by') ?? ''),
      changed: data.get('changed') ? 'true' : undefined,
      several: data.get('several') ? 'true' : undefined,
      count: String(data.get('count') ?? ''),
      offset: undefined,
    });
  });
  // Nothing applies until Apply (WCAG 3.2.2): arrowing through a select must not reload the list.

  const results = h('div', { id: 'worklist-results' }, h('p', {}, 'Loading…'));
  replaceChildren(main, h('h1', { tabindex: '-1' }, 'Worklist'), form, results);
  if (several) {
    await renderSeveralStudies(results, context, { study, count, offset, go });
    return;
  }

  const search = new URLSearchParams();
  if (study) search.set('study', study.id);
  if (status) search.set('status', status);
  if (heldBy) search.set('held-by', heldBy);
  if (changed) search.set('changed', 'true');
  search.set('_count', count);
  search.set('_offset', offset);
  const bundle = await getFhir<Bundle>(`/ResearchSubject?${search.toString()}`);
  const subjects = (bundle.entry ?? []).flatMap((e) => (e.resource ? [readSubject(e.resource)] : []));
  const decisions = new Map<string, Decision>();
  if (subjects.length > 0) {
    const answer = await getJson<{ decisions: Decision[] }>(`/app/api/decisions?subject=${subjects.map((s) => encodeURIComponent(s.id)).join(',')}`);
    for (const d of answer.decisions) decisions.set(d.subjectId, d);
  }
  const total = bundle.total ?? subjects.length;
  const first = Number(offset) + 1;
  const last = Number(offset) + subjects.length;
  const next = offsetOf(bundle.link?.find((l) => l.relation === 'next')?.url);
  const previous = offsetOf(bundle.link?.find((l) => l.relation === 'previous')?.url);

  const caption = total === 0 ? 'No patients match.' : `${total} patient${total === 1 ? '' : 's'}; showing ${first}–${last}, newest screening first.`;
  const table = h('table', { id: 'worklist' },
    h('caption', {}, all ? `All studies: ${caption}` : caption),
    h('thead', {}, h('tr', {},
      h('th', { scope: 'col' }, 'Patient'),
      all ? h('th', { scope: 'col' }, 'Study') : null,
      h('th', { scope: 'col' }, 'Status'),
      h('th', { scope: 'col' }, 'Failing criteria or missing data'),
      h('th', { scope: 'col' }, 'Screened as of'),
      h('th', { scope: 'col' }, 'Eligible from'),
      h('th', { scope: 'col' }, 'Decision'),
      h('th', { scope: 'col' }, 'Last updated'))),
    h('tbody', {}, subjects.map((s) => row(s, decisions.get(s.id), context, study ?? studyOfReference(context, s.studyRef), all))));

  replaceChildren(results, table, pager(total, offset, count, previous, next, go));
}

function row(s: SubjectView, decision: Decision | undefined, context: PageContext, study: StudyInfo | undefined, all: boolean): HTMLTableRowElement {
  const ehr = patientLink(context.config.patientLinkTemplate, s.patientRef);
  return h('tr', { 'data-subject': s.id },
    h('th', { scope: 'row' },
      h('a', { href: `#/subject/${encodeURIComponent(s.id)}` }, s.patientRef),
      ehr ? [' ', h('a', { href: ehr, target: '_blank', rel: 'noopener noreferrer', class: 'muted', 'aria-label': `Open ${s.patientRef} in the EHR` }, 'EHR')] : null),
    all ? h('td', { class: 'study' }, study?.title ?? s.studyRef) : null,
    h('td', {}, h('span', { class: `badge ${s.status}` }, STATUS_LABELS[s.status] ?? s.status)),
    h('td', { class: 'failing' }, whatHolds(s, study)),
    h('td', {}, s.asOf ?? ''),
    h('td', {}, s.eligibleFrom ?? ''),
    h('td', { class: 'decision-cell' }, decisionSummary(decision, study)),
    h('td', {}, instant(s.lastUpdated)));
}
