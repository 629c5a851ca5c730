// A one-study JSON $screen body is decoded, parsed and screened on a worker thread when one is
// ready (http/screen-body-threads.ts). The answer, the stored ResearchSubject and every error
// must be those of the request-thread path (SCREEN_THREADS=0), over real HTTP; a body the thread
// cannot screen as it stands is left to the request thread.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { build, type Built } from '../helpers/build-app.js';

const AS_OF = '2026-10-26';
const example = (name: string) => readFileSync(new URL(`../../examples/${name}`, import.meta.url), 'utf8');

interface Served extends Built {
  url: string;
}

async function serve(env: Record<string, string>): Promise<Served> {
  const built = await build({ env });
  const url = await built.app.listen({ port: 0, host: '127.0.0.1' });
  return { ...built, url };
}

const onThread = (s: Served) => s.logs.records().filter((r) => r['msg'] === 'screen body screened on a worker thread').length;

async function post(s: Served, path: string, body: string, type = 'application/fhir+json') {
  const response = await fetch(`${s.url}${path}`, { method: 'POST', headers: { 'content-type': type }, body });
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
}

/** The answer without what differs between two servers' stores (the version's meta). */
function comparable(answer: Record<string, unknown>): Record<string, unknown> {
  const { meta: _meta, ...rest } = answer;
  return rest;
}

/** Posts until the thread answers one (threads start with the first call). */
async function warm(s: Served, path: string, body: string): Promise<void> {
  for (let i = 0; i < 200 && onThread(s) === 0; i++) {
    expect((await post(s, path, body)).status).toBe(200);
    if (onThread(s) === 0) await new Promise((r) => setTimeout(r, 100));
  }
  expect(onThread(s)).toBeGreaterThan(0);
}

describe('$screen on a screening thread', () => {
  it('answers and stores every shipped example exactly as the request thread does', { timeout: 90_000 }, async () => {
    const threaded = await serve({ SCREEN_THREADS: '1' });
    const inline = await serve({ SCREEN_THREADS: '0' });
    await warm(threaded, `/ResearchStudy/belimumab-iim/$screen?asOf=${AS_OF}`, example('candidate-dm.json'));
    const cases: [study: string, file: string, query: string][] = [
      ['belimumab-iim', 'candidate-dm.json', `?asOf=${AS_OF}`],
      ['belimumab-iim', 'candidate-dm.parameters.json', ''],
      ['belimumab-iim', 'potential-candidate-pm.json', `?asOf=${AS_OF}`],
      ['belimumab-iim', 'ineligible-rituximab.json', `?asOf=${AS_OF}`],
      ['glp1-ckd', 'glp1-ckd-candidate.json', `?asOf=${AS_OF}`],
      ['belimumab-iim', 'glp1-ckd-candidate.json', `?asOf=${AS_OF}`],
    ];
    for (const [study, file, query] of cases) {
      const path = `/ResearchStudy/${study}/$screen${query}`;
      const before = onThread(threaded);
      const viaThread = await post(threaded, path, example(file));
      expect(onThread(threaded), `${study} ${file} screened on the thread`).toBe(before + 1);
      const viaInline = await post(inline, path, example(file));
      expect(onThread(inline)).toBe(0);
      expect(viaThread.status).toBe(200);
      expect(comparable(viaThread.body)).toEqual(comparable(viaInline.body));
      // Stored as answered: the read by id gives the same resource, meta included.
      const read = await fetch(`${threaded.url}/ResearchSubject/${String(viaThread.body['id'])}`);
      expect(await read.json()).toEqual(viaThread.body);
    }
  });

  it('leaves every body it cannot screen to the request thread, whose error is the answer', { timeout: 90_000 }, async () => {
    const threaded = await serve({ SCREEN_THREADS: '1' });
    const inline = await serve({ SCREEN_THREADS: '0' });
    const path = '/ResearchStudy/belimumab-iim/$screen';
    await warm(threaded, `${path}?asOf=${AS_OF}`, example('candidate-dm.json'));
    const bundle = JSON.parse(example('candidate-dm.json')) as { entry: unknown[] };
    const bad: [label: string, query: string, body: string][] = [
      ['not JSON', `?asOf=${AS_OF}`, '{"resourceType":"Bundle",'],
      ['empty', `?asOf=${AS_OF}`, ''],
      ['a JSON array', `?asOf=${AS_OF}`, '[]'],
      ['a Patient', `?asOf=${AS_OF}`, '{"resourceType":"Patient","id":"p"}'],
      ['__proto__ key', `?asOf=${AS_OF}`, '{"resourceType":"Bundle","__proto__":{"x":1}}'],
      ['constructor.prototype', `?asOf=${AS_OF}`, '{"resourceType":"Bundle","constructor":{"prototype":{"x":1}}}'],
      ['a Bundle without its Patient', `?asOf=${AS_OF}`, JSON.stringify({ ...bundle, entry: bundle.entry.slice(1) })],
      ['a bad query asOf', '?asOf=2026-13-01', example('candidate-dm.json')],
      ['a query asOf after tomorrow', '?asOf=2999-01-01', example('candidate-dm.json')],
      ['query and body asOf disagree', '?asOf=2026-01-01', example('candidate-dm.parameters.json')],
    ];
    for (const [label, query, body] of bad) {
      const before = onThread(threaded);
      const viaThread = await post(threaded, `${path}${query}`, body);
      const viaInline = await post(inline, `${path}${query}`, body);
      expect(onThread(threaded), label).toBe(before);
      expect(viaThread.status, label).toBeGreaterThanOrEqual(400);
      expect(viaThread, label).toEqual(viaInline);
    }
  });
});
