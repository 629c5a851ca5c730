// Cells and controls the two worklist tables share: the per-study list (worklist-view.ts) and
// the patients in several studies (several-studies-view.ts).

import { h, instant, type Child } from './dom.js';
import { fails, groupOf, type SubjectView } from './evaluation.js';
import { DECISION_LABELS, criterionLabel, type Decision, type StudyInfo } from './page-context.js';

/** Previous / next buttons and "Page n of m", for any list paged by offset. */
export function pager(total: number, offset: string, count: string, previous: string | undefined, next: string | undefined, go: (changes: Record<string, string | undefined>) => void): HTMLElement {
  return h('nav', { class: 'pager', 'aria-label': 'Pages' },
    pageButton('Previous page', previous, (o) => go({ offset: o })),
    h('span', { class: 'muted' }, total === 0 ? '' : `Page ${Math.floor(Number(offset) / Number(count)) + 1} of ${Math.max(1, Math.ceil(total / Number(count)))}`),
    pageButton('Next page', next, (o) => go({ offset: o })));
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
export function whatHolds(s: SubjectView, study: StudyInfo | undefined): Child {
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

/** A decision as a row shows it: the outcome, the criterion of a screen-failure, and when. */
export function decisionSummary(decision: Decision | undefined, study: StudyInfo | undefined): Child {
  return decision
    ? [h('span', { class: 'badge decision' }, DECISION_LABELS[decision.decision] ?? decision.decision),
       decision.criterionId ? [' ', h('span', { 'data-criterion': decision.criterionId }, criterionLabel(study, decision.criterionId))] : null,
       h('br', {}), h('span', { class: 'muted' }, instant(decision.decidedAt))]
    : h('span', { class: 'muted' }, '—');
}

