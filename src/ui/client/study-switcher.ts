// The study switcher of the views that show one study at a time (runs, rule feedback): the
// choice goes into the URL's hash, so a link or a reload keeps it, and applies on "Show" only
// (WCAG 3.2.2: arrowing through the select must not reload the view).

import { h } from './dom.js';
import type { PageContext, StudyInfo } from './page-context.js';

export function studySwitcher(context: PageContext, current: StudyInfo | undefined, path: string): HTMLFormElement | null {
  if (context.config.studies.length < 2) return null;
  const form = h('form', { class: 'filters', 'aria-label': 'Choose the study' },
    h('div', { class: 'field' },
      h('label', { for: 'f-study' }, 'Study'),
      h('select', { id: 'f-study', name: 'study' },
        context.config.studies.map((s) => h('option', { value: s.id, selected: s.id === current?.id }, s.title)))),
    h('button', { type: 'submit' }, 'Show'));
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    const study = String(new FormData(form).get('study') ?? '');
    location.hash = `#${path}?${new URLSearchParams({ study }).toString()}`;
  });
  return form;
}
