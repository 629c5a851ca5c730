// The worklist page's entry point: loads the settings, routes on the URL's hash
// (#/ worklist, #/subject/{id} and #/patient/{ref} a patient in every study, #/runs, #/rules),
// keeps the chosen study on the section links, keeps the access token form, and moves focus to
// each new view's heading so keyboard and screen-reader users land where the content is.

import { ApiError, getJson, setToken, token } from './api.js';
import type { PageConfig, PageContext } from './page-context.js';
import { renderRules } from './rules-view.js';
import { renderRuns } from './runs-view.js';
import { renderPatient, renderSubject } from './patient-view.js';
import { renderWorklist } from './worklist-view.js';

const main = document.getElementById('main') as HTMLElement;
const status = document.getElementById('status') as HTMLElement;

function say(message: string, error = false): void {
  status.textContent = message;
  status.classList.toggle('error', error);
}

let config: PageConfig | undefined;
let worklistHref = '#/';

async function route(): Promise<void> {
  const hash = location.hash.replace(/^#/, '') || '/';
  const [path = '/', query = ''] = hash.split('?');
  const params = new URLSearchParams(query);
  const section = path === '/runs' ? 'runs' : path === '/rules' ? 'rules' : 'worklist';
  const study = params.get('study');
  for (const link of document.querySelectorAll<HTMLAnchorElement>('[data-nav]')) {
    if (link.dataset['nav'] === section) link.setAttribute('aria-current', 'page');
    else link.removeAttribute('aria-current');
    // The study switched to stays chosen from one section to the next.
    const base = link.dataset['nav'] === 'worklist' ? '#/' : `#/${link.dataset['nav'] ?? ''}`;
    if (path.startsWith('/subject/') || path.startsWith('/patient/')) continue;
    link.href = study ? `${base}?${new URLSearchParams({ study }).toString()}` : base;
  }
  say('');
  try {
    config ??= await getJson<PageConfig>('/app/api/config');
    if (section === 'worklist' && path === '/') worklistHref = location.hash || '#/';
    const context: PageContext = { config, say, worklistHref };
    if (path.startsWith('/subject/')) await renderSubject(main, context, decodeURIComponent(path.slice('/subject/'.length)));
    else if (path.startsWith('/patient/')) await renderPatient(main, context, decodeURIComponent(path.slice('/patient/'.length)));
    else if (path === '/runs') await renderRuns(main, context, params);
    else if (path === '/rules') await renderRules(main, context, params);
    else await renderWorklist(main, context, params);
    document.title = `${main.querySelector('h1')?.textContent ?? 'Worklist'} · fhir-prescreen`;
    (main.querySelector('h1') as HTMLElement | null)?.focus();
  } catch (error) {
    const message = error instanceof ApiError || error instanceof Error ? error.message : 'Something went wrong.';
    main.replaceChildren();
    const heading = document.createElement('h1');
    heading.tabIndex = -1;
    heading.textContent = error instanceof ApiError && error.status === 401 ? 'Sign-in required' : 'Could not load this view';
    const text = document.createElement('p');
    text.textContent = message;
    main.append(heading, text);
    say(message, true);
    heading.focus();
  }
}

const form = document.getElementById('token-form') as HTMLFormElement;
const input = document.getElementById('token') as HTMLInputElement;
if (token()) input.placeholder = 'a token is set for this tab';
form.addEventListener('submit', (event) => {
  event.preventDefault();
  const value = input.value.trim();
  if (value === '') return;
  setToken(value);
  input.value = '';
  input.placeholder = 'a token is set for this tab';
  config = undefined;
  say('Access token set for this tab.');
  void route();
});
document.getElementById('token-clear')?.addEventListener('click', () => {
  setToken(undefined);
  input.placeholder = 'only when sign-in is required';
  config = undefined;
  say('Access token forgotten.');
  void route();
});

window.addEventListener('hashchange', () => void route());
void route();
