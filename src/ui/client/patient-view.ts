// One patient across the studies, side by side: for each study the page shows, its result
// (status, as of, eligibleFrom), every criterion grouped as decided against / needs data / needs
// a person / met, with result, reason, evidence, missing data (and the FHIR query that would
// fetch it), the manual flag and clearsOn; and that study's decision form and history. A decision
// belongs to one study's ResearchSubject: recording it reloads that study's history only.

import { getFhir, getJson, postJson } from './api.js';
import { h, instant, replaceChildren } from './dom.js';
import { GROUPS, fails, groupOf, patientLink, readSubject, type CriterionView, type ResearchSubjectJson, type SubjectView } from './evaluation.js';
import { DECISION_LABELS, STATUS_LABELS, criterionLabel, studyOfReference, type Decision, type PageContext, type StudyInfo } from './page-context.js';

/** Where a study's decisions show: the latest among the facts, every one under the form. */
interface Decisions {
  history: HTMLElement;
  latest: HTMLElement;
}

/** `#/subject/{id}`: the patient of that ResearchSubject, its study marked as the one linked. */
export async function renderSubject(main: HTMLElement, context: PageContext, id: string): Promise<void> {
  replaceChildren(main, h('p', {}, 'Loading…'));
  const subject = readSubject(await getFhir<ResearchSubjectJson>(`/ResearchSubject/${encodeURIComponent(id)}`));
  await renderPatient(main, context, subject.patientRef, subject.studyRef.replace(/^ResearchStudy\//, ''));
}

/** `#/patient/{Patient/id}`: every study's result for the patient. */
export async function renderPatient(main: HTMLElement, context: PageContext, patientRef: string, linkedStudy?: string): Promise<void> {
  replaceChildren(main, h('p', {}, 'Loading…'));
  const answer = await getJson<{ patient: string; subjects: ResearchSubjectJson[] }>(`/app/api/patients/results?patient=${encodeURIComponent(patientRef)}`);
  const byStudy = new Map<string, SubjectView>();
  for (const resource of answer.subjects) {
    const view = readSubject(resource);
    if (studyOfReference(context, view.studyRef)) byStudy.set(view.studyRef.replace(/^ResearchStudy\//, ''), view);
  }
  const shown = context.config.studies.filter((s) => byStudy.has(s.id));
  const missing = context.config.studies.filter((s) => !byStudy.has(s.id));
  const ehr = patientLink(context.config.patientLinkTemplate, answer.patient);
  const histories: [Decisions, SubjectView, StudyInfo][] = [];
  const columns = shown.map((study, index) => {
    const subject = byStudy.get(study.id)!;
    const decisions: Decisions = { history: h('div', { class: 'decision-history', id: `s${index}-history` }), latest: h('dd', { class: 'latest-decision' }) };
    histories.push([decisions, subject, study]);
    return studyColumn(subject, study, `s${index}`, shown.length > 1 && study.id === linkedStudy, context, decisions);
  });

  replaceChildren(main,
    h('p', {}, h('a', { href: context.worklistHref }, '← Back to the worklist')),
    h('h1', { tabindex: '-1' }, answer.patient),
    h('dl', { class: 'facts' },
      h('dt', {}, 'Studies'), h('dd', {}, shown.length === 0
        ? 'No stored result for this patient.'
        : `${shown.length} of ${context.config.studies.length} with a result${missing.length > 0 ? `; not screened for ${missing.map((s) => s.title).join(', ')}` : ''}`),
      h('dt', {}, 'In the EHR'), h('dd', {}, ehr
        ? h('a', { href: ehr, target: '_blank', rel: 'noopener noreferrer' }, `Open ${answer.patient}`)
        : h('span', { class: 'muted' }, 'no EHR link configured (PATIENT_LINK_TEMPLATE)'))),
    // One study: its decision panel beside the criteria; several: one column each.
    h('div', { class: `studies${shown.length === 1 ? ' single' : ''}` }, columns));
  await Promise.all(histories.map(([container, subject, study]) => loadHistory(container, subject.id, study)));
}

function studyColumn(subject: SubjectView, study: StudyInfo, prefix: string, linked: boolean, context: PageContext, decisions: Decisions): HTMLElement {
  const headingId = `${prefix}-heading`;
  const counts = GROUPS.map(({ key, title }) => `${title}: ${subject.criteria.filter((c) => groupOf(c) === key).length}`).join(' · ');
  const groups = GROUPS.map(({ key, title }) => {
    const members = subject.criteria.filter((c) => groupOf(c) === key);
    const items = members.map((c) => criterionItem(c, study));
    const heading = `${title} (${members.length})`;
    if (key === 'met') {
      // Long and rarely read: folded, one keypress away.
      return h('details', { class: `group ${key}`, 'data-group': key }, h('summary', {}, heading), items);
    }
    return h('section', { class: `group ${key}`, 'data-group': key, 'aria-labelledby': `${prefix}-group-${key}` },
      h('h3', { id: `${prefix}-group-${key}` }, heading),
      members.length === 0 ? h('p', { class: 'muted' }, 'None.') : items);
  });
  const facts = h('dl', { class: 'facts' },
    h('dt', {}, 'Status'), h('dd', {}, h('span', { class: `badge ${subject.status}` }, STATUS_LABELS[subject.status] ?? subject.status),
      linked ? h('span', { class: 'muted' }, ' (the result you opened)') : null),
    h('dt', {}, 'Screened as of'), h('dd', {}, subject.asOf ?? ''),
    subject.eligibleFrom ? [h('dt', {}, 'Eligible from'), h('dd', {}, subject.eligibleFrom)] : null,
    h('dt', {}, 'Last updated'), h('dd', {}, instant(subject.lastUpdated)),
    h('dt', {}, 'Decision'), decisions.latest);
  const panel = h('section', { class: 'panel', 'aria-labelledby': `${prefix}-decision-heading` },
    h('h3', { id: `${prefix}-decision-heading` }, `Decision for ${study.title}`),
    decisionForm(subject, study, prefix, context, () => loadHistory(decisions, subject.id, study)),
    h('h4', {}, 'History'),
    decisions.history);
  return h('section', { class: `study-result${linked ? ' linked' : ''}`, 'data-study': study.id, 'data-subject': subject.id, 'aria-labelledby': headingId, 'aria-current': linked ? 'true' : undefined },
    h('h2', { id: headingId }, study.title),
    h('div', { class: 'study-body' },
      h('div', {}, facts, h('p', { class: 'muted counts' }, counts), groups),
      panel));
}

function criterionItem(c: CriterionView, study: StudyInfo): HTMLElement {
  const info = study.criteria.find((x) => x.id === c.id);
  const result = `${c.result}${fails(c) ? ' (fails)' : ''}`;
  return h('article', { class: 'criterion', 'data-criterion': c.id },
    h('h4', {}, info ? `${info.seed} · ${info.title}` : c.id, ' ', h('span', { class: 'ids muted' }, c.id)),
    h('dl', {},
      h('dt', {}, 'Type'), h('dd', {}, c.type),
      h('dt', {}, 'Result'), h('dd', {}, result),
      c.reason ? [h('dt', {}, 'Reason'), h('dd', {}, c.reason)] : null,
      c.manual ? [h('dt', {}, 'Manual'), h('dd', {}, 'yes: a person must decide this')] : null,
      c.clearsOn ? [h('dt', {}, 'Clears on'), h('dd', {}, c.clearsOn)] : null,
      c.evidence.length > 0 ? [h('dt', {}, 'Evidence'), h('dd', {}, h('ul', {}, c.evidence.map((e) => h('li', { class: 'ids' }, e))))] : null,
      c.missingData.length > 0
        ? [h('dt', {}, 'Missing data'), h('dd', {}, h('ul', {}, c.missingData.map((m) =>
            h('li', {}, m.text, m.query ? [h('br', {}), h('span', { class: 'ids muted' }, m.query)] : null))))]
        : null));
}

function decisionForm(subject: SubjectView, study: StudyInfo, prefix: string, context: PageContext, reload: () => Promise<void>): HTMLFormElement {
  const criterionSelect = h('select', { id: `${prefix}-criterion`, name: 'criterion', disabled: true },
    h('option', { value: '' }, 'Choose the criterion…'),
    subject.criteria.map((c) => h('option', { value: c.id }, criterionLabel(study, c.id))));
  const options = Object.entries(DECISION_LABELS).map(([value, label]) =>
    h('div', { class: 'option' },
      h('input', { type: 'radio', name: 'decision', id: `${prefix}-${value}`, value, required: true }),
      h('label', { for: `${prefix}-${value}` }, label)));
  const form = h('form', { class: 'decision-form', 'aria-label': `Decision for ${study.title}` },
    h('fieldset', {}, h('legend', {}, 'Outcome'), options),
    h('div', { class: 'stack' }, h('label', { for: `${prefix}-criterion` }, 'Criterion that failed (screen-failed only)'), criterionSelect),
    h('div', { class: 'stack' }, h('label', { for: `${prefix}-note` }, 'Note'), h('textarea', { id: `${prefix}-note`, name: 'note', maxlength: '2000' })),
    h('button', { type: 'submit' }, 'Record decision'));
  form.addEventListener('change', () => {
    const screenFailed = (form.elements.namedItem('decision') as RadioNodeList).value === 'screen-failed';
    criterionSelect.disabled = !screenFailed;
    criterionSelect.required = screenFailed;
  });
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    const data = new FormData(form);
    const decision = String(data.get('decision') ?? '');
    const body: Record<string, string> = { decision };
    if (decision === 'screen-failed') body['criterion'] = String(data.get('criterion') ?? '');
    const note = String(data.get('note') ?? '').trim();
    if (note) body['note'] = note;
    const button = form.querySelector('button[type=submit]') as HTMLButtonElement;
    button.disabled = true;
    postJson<{ decision: Decision }>(`/app/api/subjects/${encodeURIComponent(subject.id)}/decisions`, body)
      .then(async () => {
        form.reset();
        criterionSelect.disabled = true;
        await reload();
        context.say(`Decision recorded for ${study.title}: ${DECISION_LABELS[decision] ?? decision}.`);
      })
      .catch((error: unknown) => context.say(error instanceof Error ? error.message : 'The decision was not recorded.', true))
      .finally(() => {
        button.disabled = false;
      });
  });
  return form;
}

async function loadHistory(into: Decisions, id: string, study: StudyInfo): Promise<void> {
  const { decisions } = await getJson<{ decisions: Decision[] }>(`/app/api/subjects/${encodeURIComponent(id)}/decisions`);
  const newest = decisions[0];
  replaceChildren(into.latest, newest
    ? [h('span', { class: 'badge decision' }, DECISION_LABELS[newest.decision] ?? newest.decision), ' ', instant(newest.decidedAt)]
    : h('span', { class: 'muted' }, 'none yet'));
  replaceChildren(into.history, decisions.length === 0
    ? h('p', { class: 'muted' }, 'No decision yet.')
    : h('ol', { class: 'history' }, decisions.map((d) => h('li', {},
        h('span', { class: 'badge decision' }, DECISION_LABELS[d.decision] ?? d.decision),
        d.criterionId ? [' ', criterionLabel(study, d.criterionId)] : null,
        h('br', {}),
        h('span', { class: 'muted' }, instant(d.decidedAt), d.decidedBy ? ` · ${d.decidedBy}` : ''),
        d.note ? h('p', { class: 'note' }, d.note) : null))));
}
