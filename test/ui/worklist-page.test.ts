// The worklist page in a real browser: Debian's Chromium (/usr/bin/chromium, installed by apt;
// .ci/run installs it when missing) driven by playwright-core, against the service started as
// a process (src/server.ts) on a free port with a temporary DATA_DIR and sign-in on (an API
// key). The data come from a nightly run over a small generated cohort, then the examples/
// Bundles through $screen; last, one patient in every study. The test filters, opens a patient,
// records a decision, reloads, switches study, lists the candidates for more than one trial,
// opens that patient on every study side by side, and takes screenshots: in its temporary folder, or for the README in docs/ when
// DOCS_SCREENSHOTS=1 (`npm run docs:screenshots`); a test run never rewrites a tracked file.

import { spawn, type ChildProcess } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pino } from 'pino';
import type { BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort } from '../helpers/free-port.js';
import { findPatients } from '../../src/batch/find-patients.js';
import { writeCohort } from '../../tools/cohort/write-cohort.js';
import { openRunStorage } from '../../src/storage/open-run-storage.js';
import { kitDemoPatients, severalStudiesPatient, twoStudies, type TwoStudies } from '../helpers/two-studies.js';
import { skipBecause } from '../helpers/skip.js';

const CHROMIUM = '/usr/bin/chromium';
const ROOT = join(import.meta.dirname, '..', '..');
const STUDY = 'belimumab-iim';
const AS_OF = '2026-10-26';
const KEY = 'worklist-page-test-key-0123456789abcdef';
const TITLE = 'Belimumab in refractory idiopathic inflammatory myositis';
const NOTE = 'Called on the phone; the rituximab course was confirmed by the infusion clinic.';
// A note is text: markup in it is shown as written, never run.
const MARKUP_NOTE = 'Prefers mornings <img src=x onerror="document.title=\'owned\'"> & <b>not</b> Fridays';
const noChromium = skipBecause(
  !existsSync(CHROMIUM),
  `the worklist page test needs Chromium at ${CHROMIUM}: install it with \`apt-get install -y chromium\` (.ci/run does)`,
);
const DOCS_SCREENSHOTS = process.env['DOCS_SCREENSHOTS'] === '1';


async function waitReady(base: string, child: ChildProcess, output: () => string): Promise<void> {
  const deadline = Date.now() + 40_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`the service exited (${child.exitCode}): ${output()}`);
    try {
      if ((await fetch(`${base}/readyz`)).ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`the service did not become ready: ${output()}`);
}

/**
 * Asks for main.js and every module it imports, once: run from source, the service transpiles
 * each on its first request (loading the TypeScript compiler first), which must not be paid
 * inside the browser's first page load.
 */
async function warmModules(base: string): Promise<void> {
  const seen = new Set<string>();
  const queue = ['main.js'];
  while (queue.length > 0) {
    const name = queue.pop()!;
    if (seen.has(name)) continue;
    seen.add(name);
    const response = await fetch(`${base}/app/assets/${name}`);
    expect(response.status, name).toBe(200);
    for (const match of (await response.text()).matchAll(/from '\.\/([a-z0-9-]+\.js)'/g)) queue.push(match[1]!);
  }
}

describe.skipIf(noChromium)('worklist page in Chromium', () => {
  const tmp = mkdtempSync(join(tmpdir(), 'worklist-page-'));
  const dataDir = join(tmp, 'data');
  let child: ChildProcess | undefined;
  let browser: BrowserContext | undefined;
  let page: Page;
  let base = '';
  let output = '';
  let mappings: TwoStudies | undefined;

  beforeAll(async () => {
    mappings = await twoStudies();
    // A nightly run first: PGlite allows one process in DATA_DIR, so before the service starts.
    const cohort = join(tmp, 'cohort');
    writeCohort({ patients: 80, seed: 'worklist-page', myositisRate: 0.4 }, cohort);
    const storage = await openRunStorage({ dataDir });
    try {
      // Twice: the second run changes nothing, so "changed since the last run" is only what
      // $screen answers afterwards.
      for (const out of ['run-1', 'run-2']) {
        await findPatients(
          {
            studyId: STUDY, asOf: AS_OF, input: cohort, outDir: join(tmp, out), resume: false, workers: 1,
            mappingsDir: join(ROOT, 'fhir-mappings'), canonicalBase: 'https://fhir-prescreen.org', logger: pino({ level: 'silent' }),
          },
          storage,
        );
      }
    } finally {
      await storage.close();
    }

    const port = await freePort();
    base = `http://127.0.0.1:${port}`;
    const sha256 = createHash('sha256').update(KEY).digest('hex');
    child = spawn(process.execPath, ['--import', 'tsx', 'src/server.ts'], {
      cwd: ROOT,
      env: {
        PATH: process.env['PATH'] ?? '',
        HOME: process.env['HOME'] ?? tmp,
        PORT: String(port),
        HOST: '127.0.0.1',
        DATA_DIR: dataDir,
        // The shipped studies and the kit-only kit-demo: the page switches between studies.
        MAPPINGS_DIR: mappings!.dir,
        LOG_LEVEL: 'warn',
        PATIENT_LINK_TEMPLATE: 'https://ehr.example.org/patients/{id}',
        AUTH_API_KEYS: JSON.stringify([
          { name: 'coordinator', sha256, scopes: 'system/ResearchSubject.read system/ResearchSubject.write system/ResearchStudy.read' },
        ]),
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    child.stdout?.on('data', (d: Buffer) => (output += d.toString()));
    child.stderr?.on('data', (d: Buffer) => (output += d.toString()));
    await waitReady(base, child, () => output);
    await warmModules(base);

    // Screened after the run: these three are "changed since the last run".
    for (const name of ['candidate-dm.json', 'potential-candidate-pm.json', 'ineligible-rituximab.json']) {
      const response = await fetch(`${base}/ResearchStudy/${STUDY}/$screen?asOf=${AS_OF}`, {
        method: 'POST',
        headers: { 'content-type': 'application/fhir+json', authorization: `Bearer ${KEY}` },
        body: readFileSync(join(ROOT, 'examples', name)),
      });
      expect(response.status, name).toBe(200);
    }

    const { chromium } = await import('playwright-core');
    // A new, empty profile (--user-data-dir) for this run only.
    browser = await chromium.launchPersistentContext(join(tmp, 'profile'), {
      executablePath: CHROMIUM,
      headless: true,
      viewport: { width: 1366, height: 768 },
      args: [
        '--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
        '--disable-background-networking', '--disable-component-update', '--disable-sync',
      ],
    });
    page = browser.pages()[0] ?? (await browser.newPage());
    page.setDefaultTimeout(10_000);
  }, 240_000);

  afterAll(async () => {
    await browser?.close();
    if (child && child.exitCode === null) {
      child.kill('SIGTERM');
      await new Promise((r) => child!.once('exit', r));
    }
    rmSync(tmp, { recursive: true, force: true });
    mappings?.remove();
  });

  it('asks for a token, then lists the worklist with every control labelled', async () => {
    await page.goto(`${base}/app`);
    await expect.poll(() => page.locator('h1').textContent()).toBe('Sign-in required');
    const authorizations: (string | undefined)[] = [];
    page.on('request', (request) => {
      if (request.url().includes('/ResearchSubject')) authorizations.push(request.headers()['authorization']);
    });
    await page.getByLabel('Access token').fill(KEY);
    await page.getByRole('button', { name: 'Use' }).click();
    await page.locator('#worklist tbody tr').first().waitFor();
    expect(await page.locator('h1').textContent()).toBe('Worklist');
    expect(await page.evaluate(() => sessionStorage.getItem('fhir-prescreen.token'))).toBe(KEY);
    expect(authorizations).toContain(`Bearer ${KEY}`);
    // Every form control has a label a screen reader announces.
    const unlabelled = await page.$$eval('input, select, textarea', (els) =>
      els.filter((e) => (e as HTMLInputElement).labels?.length === 0 && !e.getAttribute('aria-label')).map((e) => e.id),
    );
    expect(unlabelled).toEqual([]);
    // Newest screening first: the three $screen answers lead the list.
    const firstRows = await page.locator('#worklist tbody tr th a:first-child').allTextContents();
    expect(firstRows.slice(0, 3).sort()).toEqual(['Patient/dm-rtx', 'Patient/example-pat', 'Patient/pm-potential']);
    expect(await page.locator('#worklist caption').textContent()).toMatch(/^\d+ patients; showing 1–/);
  });

  it('filters by status, by "held only by" a criterion and by "changed since the last run"', async () => {
    await page.getByLabel('Status').selectOption('ineligible');
    await page.getByLabel('Held only by criterion').selectOption('exc-rituximab-365d');
    await page.getByRole('button', { name: 'Apply' }).click();
    await expect.poll(() => page.url()).toContain('held-by=exc-rituximab-365d');
    await page.locator('#worklist caption').filter({ hasText: 'showing' }).waitFor();
    const rows = page.locator('#worklist tbody tr');
    await expect.poll(() => rows.locator('td.failing').allTextContents()).not.toHaveLength(0);
    for (const failing of await rows.locator('td.failing').allTextContents()) expect(failing).toBe('E6 · Rituximab within 365 days');
    for (const status of await rows.locator('.badge.ineligible').allTextContents()) expect(status).toBe('Ineligible');
    expect(await rows.locator('th a:first-child').allTextContents()).toContain('Patient/dm-rtx');

    await page.goto(`${base}/app#/?study=${STUDY}&changed=true`);
    await expect.poll(() => page.locator('#f-changed').isChecked()).toBe(true);
    await page.locator('#worklist caption').filter({ hasText: 'showing' }).waitFor();
    const changed = await page.locator('#worklist tbody tr th a:first-child').allTextContents();
    expect(changed.sort()).toEqual(['Patient/dm-rtx', 'Patient/example-pat', 'Patient/pm-potential']);
  });

  it('names failing criteria as coordinators do, and says what data a potential candidate lacks', async () => {
    await page.goto(`${base}/app#/?study=${STUDY}`);
    await page.locator('#worklist caption').filter({ hasText: 'showing' }).waitFor();
    const rowOf = (patient: string) => page.locator('#worklist tbody tr', { has: page.getByRole('link', { name: patient, exact: true }) });
    // The seed label and title, not the criterion id.
    await expect.poll(() => rowOf('Patient/dm-rtx').locator('td.failing').textContent()).toBe('E6 · Rituximab within 365 days');
    expect(await page.getByLabel('Held only by criterion').locator('option[value="exc-rituximab-365d"]').textContent()).toBe('E6 · Rituximab within 365 days');
    // A potential candidate: the data that would decide it, by criterion, not "none".
    const missing = (await rowOf('Patient/pm-potential').locator('td.failing').textContent()) ?? '';
    expect(missing).not.toBe('none');
    expect(missing).toContain('E4 · IgG or IgA deficiency: missing Immunoglobulin G; Immunoglobulin A');
    expect(missing).toContain('E16 · Hepatitis B or C: missing Hepatitis B surface antigen;');
    expect(missing).not.toMatch(/exc-/);
    // A candidate has nothing against it and nothing missing.
    expect(await rowOf('Patient/example-pat').locator('td.failing').textContent()).toBe('none');
  });

  it('opens a patient by keyboard: criteria grouped with reason, evidence, missing data, manual and clearsOn', async () => {
    await page.goto(`${base}/app#/?study=${STUDY}&held-by=exc-rituximab-365d`);
    const link = page.getByRole('link', { name: 'Patient/dm-rtx', exact: true });
    await link.focus();
    await page.keyboard.press('Enter');
    await expect.poll(() => page.locator('h1').textContent()).toBe('Patient/dm-rtx');
    // Focus moved to the new view's heading.
    await expect.poll(() => page.evaluate(() => document.activeElement?.tagName)).toBe('H1');
    // The patient's results side by side: here belimumab-iim's only, the study linked.
    const column = page.locator(`.study-result[data-study="${STUDY}"]`);
    expect(await page.locator('.study-result').count()).toBe(1);
    const against = column.locator('[data-group="against"]');
    await expect.poll(() => against.locator('h3').textContent()).toBe('Decided against (1)');
    const rtx = against.locator('[data-criterion="exc-rituximab-365d"]');
    expect(await rtx.textContent()).toContain('Clears on2027-04-10');
    expect(await rtx.textContent()).toMatch(/Evidence.*MedicationAdministration\//);
    expect(await column.locator('[data-group="person"] [data-criterion="inc-consent"]').textContent()).toContain('Manualyes');
    expect(await column.locator('[data-group="data"] h3').textContent()).toMatch(/^Needs data \(\d+\)$/);
    await column.locator('[data-group="met"] summary').click();
    expect(await column.locator('[data-group="met"] [data-criterion="inc-age"]').textContent()).toContain('Reason');
    expect(await page.getByRole('link', { name: 'Open Patient/dm-rtx' }).getAttribute('href')).toBe('https://ehr.example.org/patients/dm-rtx');

    // The potential candidate's missing data, with the FHIR query that would fetch it.
    await page.goto(`${base}/app#/?study=${STUDY}&status=potential-candidate`);
    await page.getByRole('link', { name: 'Patient/pm-potential', exact: true }).click();
    await expect.poll(() => page.locator('h1').textContent()).toBe('Patient/pm-potential');
    expect(await page.locator('[data-group="data"]').textContent()).toMatch(/Missing data.*Observation\?patient=/);
  });

  it('records a decision, keeps it over a reload, shows it in the list and in the rule feedback', async () => {
    await page.goto(`${base}/app#/?study=${STUDY}&held-by=exc-rituximab-365d`);
    await page.getByRole('link', { name: 'Patient/dm-rtx', exact: true }).click();
    await expect.poll(() => page.locator('h1').textContent()).toBe('Patient/dm-rtx');
    const column = page.locator(`.study-result[data-study="${STUDY}"]`);
    await expect.poll(() => column.locator('.decision-history').textContent()).toContain('No decision yet.');
    await column.getByRole('radio', { name: 'Screen-failed' }).check();
    await column.getByLabel('Criterion that failed (screen-failed only)').selectOption('exc-rituximab-365d');
    await column.getByLabel('Note').fill(NOTE);
    await column.getByRole('button', { name: 'Record decision' }).click();
    await expect.poll(() => page.locator('#status').textContent()).toBe(`Decision recorded for ${TITLE}: Screen-failed.`);

    await page.reload();
    await column.locator('.decision-history li').first().waitFor();
    expect(await column.locator('.latest-decision').textContent()).toMatch(/^Screen-failed \d{4}-\d\d-\d\d \d\d:\d\d UTC$/);
    const kept = await column.locator('.decision-history li').first().textContent();
    expect(kept).toContain('Screen-failed');
    expect(kept).toContain('E6');
    expect(kept).toContain('coordinator');
    expect(kept).toContain(NOTE);

    await page.getByRole('link', { name: '← Back to the worklist' }).click();
    const row = page.locator('#worklist tbody tr', { has: page.getByRole('link', { name: 'Patient/dm-rtx', exact: true }) });
    await expect.poll(() => row.locator('.decision-cell').textContent()).toContain('Screen-failed');

    await page.getByRole('link', { name: 'Rule feedback' }).click();
    const rule = page.locator('#rules tr[data-criterion="exc-rituximab-365d"] td');
    // Misled 0 (the service had failed it too), screen-failures 1, agreed 1.
    await expect.poll(() => rule.allTextContents()).toEqual(['0', '0', '0', '0', '1', '0', '1']);
  });

  it('shows the run history and the latest funnel, and takes the screenshots the README shows', async () => {
    await page.getByRole('link', { name: 'Runs' }).click();
    await page.locator('#runs tbody tr').first().waitFor();
    const cells = await page.locator('#runs tbody tr').first().locator('td').allTextContents();
    expect(cells[1]).toBe(AS_OF);
    expect(cells[2]).toBe('complete');
    expect(cells[4]).toBe('80');
    expect(await page.locator('#runs tbody tr').count()).toBe(2);
    expect(await page.locator('#funnel svg[role="img"]').getAttribute('aria-label')).toMatch(/^Attrition funnel, run of 2026-10-26/);
    expect(await page.locator('#funnel svg rect.bar').count()).toBe(31);

    await page.goto(`${base}/app#/?study=${STUDY}`);
    await page.locator('#worklist tbody tr').first().waitFor();
    const shots = DOCS_SCREENSHOTS ? join(ROOT, 'docs') : join(tmp, 'screenshots');
    mkdirSync(shots, { recursive: true });
    await page.screenshot({ path: join(shots, 'worklist.png') });
    await page.getByRole('link', { name: 'Patient/dm-rtx', exact: true }).click();
    await page.locator('.decision-history li').first().waitFor();
    await page.screenshot({ path: join(shots, 'worklist-patient.png') });
    for (const name of ['worklist.png', 'worklist-patient.png']) {
      expect(readFileSync(join(shots, name)).subarray(0, 8)).toEqual(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]));
    }
  });

  it('switches study: the kit-demo worklist lists only its patients, with its own criteria to filter by', async () => {
    for (const patient of kitDemoPatients(AS_OF)) {
      const response = await fetch(`${base}/ResearchStudy/kit-demo/$screen?asOf=${AS_OF}`, {
        method: 'POST',
        headers: { 'content-type': 'application/fhir+json', authorization: `Bearer ${KEY}` },
        body: JSON.stringify(patient.bundle),
      });
      expect(response.status, patient.name).toBe(200);
    }
    await page.goto(`${base}/app#/?study=${STUDY}`);
    await page.locator('#worklist tbody tr').first().waitFor();
    expect(await page.getByLabel('Study').locator('option').allTextContents()).toEqual(['All studies', ...[...mappings!.studies.values()].map((s) => s.mapping.title)]);
    await page.getByLabel('Study').selectOption('kit-demo');
    await page.getByRole('button', { name: 'Apply' }).click();
    await expect.poll(() => page.url()).toContain('study=kit-demo');
    await expect.poll(() => page.locator('#worklist caption').textContent()).toMatch(/^4 patients; showing 1–4/);
    const patients = await page.locator('#worklist tbody tr th a:first-child').allTextContents();
    expect(patients.sort()).toEqual(['Patient/kd-candidate', 'Patient/kd-no-diabetes', 'Patient/kd-no-hba1c', 'Patient/kd-type1']);
    const heldBy = await page.getByLabel('Held only by criterion').locator('option').allTextContents();
    expect(heldBy).toEqual(['Any', 'I1 · Adult (18 years or older)', 'I2 · Type 2 diabetes', 'I3 · HbA1c 7.0–10.5 % within 6 months', 'I4 · Able to consent', 'E1 · Type 1 diabetes']);
    // kit-demo's E1 holds only its type 1 patient, named as coordinators name it.
    await page.getByLabel('Held only by criterion').selectOption('exc-type1-diabetes');
    await page.getByRole('button', { name: 'Apply' }).click();
    await expect.poll(() => page.locator('#worklist tbody tr th a:first-child').allTextContents()).toEqual(['Patient/kd-type1']);
    expect(await page.locator('#worklist tbody tr td.failing').textContent()).toBe('E1 · Type 1 diabetes');
  });
  it('switches to all studies, lists the candidates for more than one trial, and shows a patient in every study side by side', async () => {
    // Patient/example-pat, a belimumab-iim candidate, with type 2 diabetes and a recent HbA1c:
    // a kit-demo candidate and a glp1-ckd potential candidate too.
    const several = severalStudiesPatient(AS_OF);
    for (const study of ['glp1-ckd', 'kit-demo']) {
      const response = await fetch(`${base}/ResearchStudy/${study}/$screen?asOf=${AS_OF}`, {
        method: 'POST',
        headers: { 'content-type': 'application/fhir+json', authorization: `Bearer ${KEY}` },
        body: JSON.stringify(several.bundle),
      });
      expect(response.status, study).toBe(200);
    }
    const titles = new Map([...mappings!.studies.values()].map((s) => [s.mapping.id, s.mapping.title]));

    // All studies: every study's rows, each naming its study.
    await page.goto(`${base}/app#/?study=${STUDY}`);
    await page.locator('#worklist tbody tr').first().waitFor();
    await page.getByLabel('Study').selectOption('all');
    await page.getByRole('button', { name: 'Apply' }).click();
    await expect.poll(() => page.url()).toContain('study=all');
    await expect.poll(() => page.locator('#worklist caption').textContent()).toMatch(/^All studies: \d+ patients; showing 1–20/);
    expect(await page.getByLabel('Held only by criterion').isDisabled()).toBe(true);
    const rowOf = (study: string) => page.locator('#worklist tbody tr', { has: page.locator('td.study', { hasText: titles.get(study)! }) });
    // Newest first: example-pat's kit-demo and glp1-ckd results lead the list.
    const newest = await page.locator('#worklist tbody tr').evaluateAll((rows) => rows.slice(0, 2).map((r) => `${r.querySelector('th a')?.textContent} ${r.querySelector('td.study')?.textContent}`));
    expect(newest).toEqual([`Patient/example-pat ${titles.get('kit-demo')}`, `Patient/example-pat ${titles.get('glp1-ckd')}`]);
    expect(await rowOf('kit-demo').count()).toBeGreaterThan(1);
    expect(await rowOf(STUDY).count()).toBeGreaterThan(1);
    // The section links keep the study chosen.
    expect(await page.getByRole('link', { name: 'Runs' }).getAttribute('href')).toBe('#/runs?study=all');

    // Candidates for more than one trial: one row per patient, every study side by side.
    await page.getByLabel('Candidates for more than one trial').check();
    expect(await page.getByLabel('Status').isDisabled()).toBe(true);
    expect(await page.getByLabel('Changed since the last run').isDisabled()).toBe(true);
    await page.getByRole('button', { name: 'Apply' }).click();
    await expect.poll(() => page.url()).toContain('several=true');
    const table = page.locator('#several');
    await expect.poll(() => table.locator('caption').textContent()).toBe('1 patient candidate or potential candidate in two or more studies; showing 1–1, newest screening first.');
    expect(await table.locator('thead th').allTextContents()).toEqual(['Patient', ...titles.values()]);
    const cell = (study: string) => table.locator(`tbody tr[data-patient="Patient/example-pat"] td[data-study="${study}"]`);
    expect(await cell(STUDY).locator('.badge').first().textContent()).toBe('Candidate');
    expect(await cell('glp1-ckd').locator('.badge').first().textContent()).toBe('Potential candidate');
    expect(await cell('glp1-ckd').locator('.failing').textContent()).toBe('I4 · eGFR and UACR in one of the two kidney bands within 90 days: missing eGFR and Serum creatinine; Urine albumin-to-creatinine ratio');
    expect(await cell('kit-demo').locator('.badge').first().textContent()).toBe('Candidate');
    // A reload or a shared link shows the same list.
    await page.reload();
    await expect.poll(() => table.locator('tbody tr').count()).toBe(1);
    expect(await page.getByLabel('Candidates for more than one trial').isChecked()).toBe(true);
    expect(await page.getByLabel('Study').inputValue()).toBe('all');
    // One study chosen: the patients for whom it is one of the two or more.
    await page.goto(`${base}/app#/?study=kit-demo&several=true`);
    await expect.poll(() => table.locator('caption').textContent()).toContain(`${titles.get('kit-demo')} among them`);
    expect(await table.locator('tbody th a:first-child').allTextContents()).toEqual(['Patient/example-pat']);
    const shots = DOCS_SCREENSHOTS ? join(ROOT, 'docs') : join(tmp, 'screenshots');
    mkdirSync(shots, { recursive: true });
    await page.screenshot({ path: join(shots, 'worklist-several.png') });

    // The patient, by keyboard: every study's result side by side, each with its own decisions.
    await table.getByRole('link', { name: 'Patient/example-pat', exact: true }).focus();
    await page.keyboard.press('Enter');
    await expect.poll(() => page.locator('h1').textContent()).toBe('Patient/example-pat');
    await expect.poll(() => page.evaluate(() => document.activeElement?.tagName)).toBe('H1');
    const columns = page.locator('.study-result');
    await expect.poll(() => columns.locator('h2').allTextContents()).toEqual([...titles.values()]);
    // Opened from the list, not from one study's result: no column is marked as the one linked.
    expect(await page.locator('.study-result[aria-current]').count()).toBe(0);
    const column = (study: string) => page.locator(`.study-result[data-study="${study}"]`);
    expect(await column(STUDY).locator('.badge').first().textContent()).toBe('Candidate');
    expect(await column(STUDY).locator('[data-group="against"] h3').textContent()).toBe('Decided against (0)');
    expect(await column(STUDY).locator('[data-group="person"] [data-criterion="inc-consent"]').textContent()).toContain('Manualyes');
    const glp1 = column('glp1-ckd');
    expect(await glp1.locator('.badge').first().textContent()).toBe('Potential candidate');
    const kidney = glp1.locator('[data-group="data"] [data-criterion="inc-kidney-function"]');
    expect(await kidney.textContent()).toContain('Resultunknown');
    expect(await kidney.textContent()).toMatch(/Missing data.*eGFR and Serum creatinine: a result since .*Observation\?patient=example-pat/);
    expect(await glp1.locator('[data-group="person"] h3').textContent()).toMatch(/^Needs a person \([1-9]\d*\)$/);
    expect(await column('kit-demo').locator('.counts').textContent()).toBe('Decided against: 0 · Needs data: 0 · Needs a person: 1 · Met: 4');
    // Every control of the three decision forms is labelled, and each form names its study.
    const unlabelled = await page.$$eval('input, select, textarea', (els) =>
      els.filter((e) => (e as HTMLInputElement).labels?.length === 0 && !e.getAttribute('aria-label')).map((e) => e.id),
    );
    expect(unlabelled).toEqual([]);
    expect(await page.getByRole('form', { name: `Decision for ${titles.get('kit-demo')}` }).count()).toBe(1);

    // A decision on kit-demo stays with kit-demo; its note is shown as text.
    const kit = column('kit-demo');
    await kit.getByRole('radio', { name: 'Contacted' }).check();
    await kit.getByLabel('Note').fill(MARKUP_NOTE);
    await kit.getByRole('button', { name: 'Record decision' }).click();
    await expect.poll(() => page.locator('#status').textContent()).toBe(`Decision recorded for ${titles.get('kit-demo')}: Contacted.`);
    await expect.poll(() => kit.locator('.decision-history .note').textContent()).toBe(MARKUP_NOTE);
    expect(await page.locator('main img').count()).toBe(0);
    expect(await page.title()).not.toBe('owned');
    expect(await kit.locator('.latest-decision').textContent()).toMatch(/^Contacted /);
    for (const other of [STUDY, 'glp1-ckd']) {
      expect(await column(other).locator('.decision-history').textContent(), other).toBe('No decision yet.');
      expect(await column(other).locator('.latest-decision').textContent(), other).toBe('none yet');
    }
    await page.evaluate(() => window.scrollTo(0, 0));
    await page.screenshot({ path: join(shots, 'worklist-studies.png') });

    // Back on the list it came from: the decision in kit-demo's cell only.
    await page.getByRole('link', { name: '← Back to the worklist' }).click();
    await expect.poll(() => page.url()).toContain('study=kit-demo&several=true');
    await expect.poll(() => cell('kit-demo').locator('.decision-cell').textContent()).toMatch(/^Contacted/);
    expect(await cell(STUDY).locator('.decision-cell').textContent()).toBe('no decision yet');
    expect(await cell('glp1-ckd').locator('.decision-cell').textContent()).toBe('no decision yet');
    for (const name of ['worklist-several.png', 'worklist-studies.png']) {
      expect(readFileSync(join(shots, name)).subarray(0, 8)).toEqual(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]));
    }
  });
});
