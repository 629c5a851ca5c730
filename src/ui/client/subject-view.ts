// One patient's evaluation: every criterion grouped as decided against / needs data / needs a
// person / met, with result, reason, evidence, missing data (and the FHIR query that would fetch
// it), the manual flag and clearsOn; beside it the coordinator's decision form and history.

import { getFhir, getJson, postJson } from './api.js';
import { h, instant, replaceChildren } from './dom.js';
import { GROUPS, fails, groupOf, patientLink, readSubject, type CriterionView, type ResearchSubjectJson, type SubjectView } from './evaluation.js';
import { DECISION_LABELS, STATUS_LABELS, criterionLabel, studyOf, type Decision, type PageContext, type StudyInfo } from './page-context.js';

export async function renderSubject(main: HTMLElement, context: PageContext, id: string): Promise<void> {
  replaceChildren(main, h('p', {}, 'Loading…'));
  const resource = await getFhir<ResearchSubjectJson>(`/ResearchSubject/${encodeURIComponent(id)}`);
  const subject = readSubject(resource);
  const study = studyOf(context, subject.studyRef.replace(/^ResearchStudy\//, ''));
  const history = h('div', { id: 'decision-history' });
  const ehr = patientLink(context.config.patientLinkTemplate, subject.patientRef);

  const groups = GROUPS.map(({ key, title }) => {
    const members = subject.criteria.filter((c) => groupOf(c) === key);
    const headingId = `group-${key}`;
    const items = members.map((c) => criterionItem(c, study));
    const heading = `${title} (${members.length})`;
    if (key === 'met') {
      // Long and rarely read: folded, one keypress away.
      return h('details', { class: `group ${key}`, id: `section-${key}` }, h('summary', {}, heading), items);
    }
    return h('section', { class: `group ${key}`, id: `section-${key}`, 'aria-labelledby': headingId },
      h('h2', { id: headingId }, heading),
      members.length === 0 ? h('p', { class: 'muted' }, 'None.') : items);
  });

  replaceChildren(main,
    h('p', {}, h('a', { href: '#/' }, '← Back to the worklist')),
    h('h1', { tabindex: '-1' }, subject.patientRef),
    h('div', { class: 'detail' },
      h('div', {},
        h('dl', { class: 'facts' },
          h('dt', {}, 'Status'), h('dd', {}, h('span', { class: `badge ${subject.status}` }, STATUS_LABELS[subject.status] ?? subject.status)),
          h('dt', {}, 'Study'), h('dd', {}, study?.title ?? subject.studyRef),
          h('dt', {}, 'Screened as of'), h('dd', {}, subject.asOf ?? ''),
          subject.eligibleFrom ? [h('dt', {}, 'Eligible from'), h('dd', {}, subject.eligibleFrom)] : null,
          h('dt', {}, 'Last updated'), h('dd', {}, instant(subject.lastUpdated)),
          h('dt', {}, 'In the EHR'), h('dd', {}, ehr
            ? h('a', { href: ehr, target: '_blank', rel: 'noopener noreferrer' }, `Open ${subject.patientRef}`)
            : h('span', { class: 'muted' }, 'no EHR link configured (PATIENT_LINK_TEMPLATE)'))),
        groups),
      h('aside', { class: 'panel', 'aria-labelledby': 'decision-heading' },
        h('h2', { id: 'decision-heading' }, 'Decision'),
        decisionForm(subject, study, context, () => loadHistory(history, subject.id, study)),
        h('h3', {}, 'History'),
        history)));
  await loadHistory(history, subject.id, study);
}

function criterionItem(c: CriterionView, study: StudyInfo | undefined): HTMLElement {
  const info = study?.criteria.find((x) => x.id === c.id);
  const result = `${c.result}${fails(c) ? ' (fails)' : ''}`;
  return h('article', { class: 'criterion', 'data-criterion': c.id },
    h('h3', {}, info ? `${info.seed} · ${info.title}` : c.id, ' ', h('span', { class: 'ids muted' }, c.id)),
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

function decisionForm(subject: SubjectView, study: StudyInfo | undefined, context: PageContext, reload: () => Promise<void>): HTMLFormElement {
  const criterionSelect = h('select', { id: 'd-criterion', name: 'criterion', disabled: true },
    h('option', { value: '' }, 'Choose the criterion…'),
    subject.criteria.map((c) => h('option', { value: c.id }, criterionLabel(study, c.id))));
  const options = Object.entries(DECISION_LABELS).map(([value, label]) =>
    h('div', { class: 'option' },
      h('input', { type: 'radio', name: 'decision', id: `d-${value}`, value, required: true }),
      h('label', { for: `d-${value}` }, label)));
  const form = h('form', { id: 'decision-form' },
    h('fieldset', {}, h('legend', {}, 'Outcome'), options),
    h('div', { class: 'stack' }, h('label', { for: 'd-criterion' }, 'Criterion that failed (screen-failed only)'), criterionSelect),
    h('div', { class: 'stack' }, h('label', { for: 'd-note' }, 'Note'), h('textarea', { id: 'd-note', name: 'note', maxlength: '2000' })),
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
        context.say(`Decision recorded: ${DECISION_LABELS[decision] ?? decision}.`);
      })
      .catch((error: unknown) => context.say(error instanceof Error ? error.message : 'The decision was not recorded.', true))
      .finally(() => {
        button.disabled = false;
      });
  });
  return form;
}

async function loadHistory(container: HTMLElement, id: string, study: StudyInfo | undefined): Promise<void> {
  const { decisions } = await getJson<{ decisions: Decision[] }>(`/app/api/subjects/${encodeURIComponent(id)}/decisions`);
  replaceChildren(container, decisions.length === 0
    ? h('p', { class: 'muted' }, 'No decision yet.')
    : h('ol', { class: 'history' }, decisions.map((d) => h('li', {},
        h('span', { class: 'badge decision' }, DECISION_LABELS[d.decision] ?? d.decision),
        d.criterionId ? [' ', criterionLabel(study, d.criterionId)] : null,
        h('br', {}),
        h('span', { class: 'muted' }, instant(d.decidedAt), d.decidedBy ? ` · ${d.decidedBy}` : ''),
        d.note ? h('p', { class: 'note' }, d.note) : null))));
}
