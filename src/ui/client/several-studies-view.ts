// "Candidates for more than one trial": patients who are candidate or potential-candidate in two
// or more studies, one row per patient with each study's result side by side (status, what holds
// it, the latest decision on it), newest first, paged by patient (GET
// /app/api/patients/several-studies). A patient opens on every study's result (patient-view.ts).

import { getJson } from './api.js';
import { h, replaceChildren } from './dom.js';
import { fails, groupOf, patientLink, readSubject, type ResearchSubjectJson, type SubjectView } from './evaluation.js';
import { STATUS_LABELS, type Decision, type PageContext, type StudyInfo } from './page-context.js';
import { decisionSummary, pager, whatHolds } from './worklist-cells.js';

interface Answer {
  total: number;
  next?: number;
  previous?: number;
  patients: { patient: string; subjects: ResearchSubjectJson[]; decisions: Decision[] }[];
}

export interface SeveralOptions {
  /** Only patients for whom this study is one of the two or more. */
  study: StudyInfo | undefined;
  count: string;
  offset: string;
  go(changes: Record<string, string | undefined>): void;
}

/** The page's link to a patient's results in every study. */
function patientHref(patientRef: string): string {
  return `#/patient/${encodeURIComponent(patientRef)}`;
}

export async function renderSeveralStudies(results: HTMLElement, context: PageContext, options: SeveralOptions): Promise<void> {
  const search = new URLSearchParams({ _count: options.count, _offset: options.offset });
  if (options.study) search.set('study', options.study.id);
  const answer = await getJson<Answer>(`/app/api/patients/several-studies?${search.toString()}`);
  const studies = context.config.studies;
  const first = Number(options.offset) + 1;
  const last = Number(options.offset) + answer.patients.length;
  const among = options.study ? `, ${options.study.title} among them` : '';
  const caption = answer.total === 0
    ? `No patient is a candidate or potential candidate in two or more studies${among}.`
    : `${answer.total} patient${answer.total === 1 ? '' : 's'} candidate or potential candidate in two or more studies${among}; showing ${first}–${last}, newest screening first.`;

  const table = h('table', { id: 'several' },
    h('caption', {}, caption),
    h('thead', {}, h('tr', {},
      h('th', { scope: 'col' }, 'Patient'),
      studies.map((s) => h('th', { scope: 'col', 'data-study': s.id }, s.title)))),
    h('tbody', {}, answer.patients.map((p) => {
      const subjects = new Map<string, SubjectView>();
      for (const resource of p.subjects) {
        const view = readSubject(resource);
        subjects.set(view.studyRef.replace(/^ResearchStudy\//, ''), view);
      }
      const decisions = new Map(p.decisions.map((d) => [d.subjectId, d]));
      const ehr = patientLink(context.config.patientLinkTemplate, p.patient);
      return h('tr', { 'data-patient': p.patient },
        h('th', { scope: 'row' },
          h('a', { href: patientHref(p.patient) }, p.patient),
          ehr ? [' ', h('a', { href: ehr, target: '_blank', rel: 'noopener noreferrer', class: 'muted', 'aria-label': `Open ${p.patient} in the EHR` }, 'EHR')] : null),
        studies.map((study) => {
          const s = subjects.get(study.id);
          if (!s) return h('td', { 'data-study': study.id }, h('span', { class: 'muted' }, 'not screened'));
          const decision = decisions.get(s.id);
          const holds = s.criteria.some((c) => fails(c) || groupOf(c) === 'data');
          return h('td', { 'data-study': study.id },
            h('span', { class: `badge ${s.status}` }, STATUS_LABELS[s.status] ?? s.status),
            holds ? h('div', { class: 'failing' }, whatHolds(s, study)) : null,
            h('div', { class: 'decision-cell' }, decision ? decisionSummary(decision, study) : h('span', { class: 'muted' }, 'no decision yet')));
        }));
    })));

  const at = (n: number | undefined): string | undefined => (n === undefined ? undefined : String(n));
  replaceChildren(results, table, pager(answer.total, options.offset, options.count, at(answer.previous), at(answer.next), options.go));
}
