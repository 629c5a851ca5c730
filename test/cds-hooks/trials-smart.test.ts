// SMART_LAUNCH_URL: every card of every CDS service also offers the SMART app, a `smart` link
// whose appContext (a JSON string, CDS Hooks 2.0 [Link]) names the study and the
// ResearchSubject; without it no card has one. The setting is checked at start-up.
import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../../src/config.js';
import { emptiesIn, listen, type Json } from './setup.js';
import { bothStudies, cardsOf, sampleCall, servicesOf } from './trials-setup.js';

const LAUNCH = 'https://apps.example.org/prescreen/launch';

interface Link {
  label: string;
  url: string;
  type: string;
  appContext?: string;
}

const linksOf = (card: Json) => card['links'] as Link[];
const subjectIdOf = (card: Json) => linksOf(card)[0]!.url.split('/app#/subject/')[1]!;

describe('SMART app link on CDS cards', () => {
  it('is on every card of trials-prescreen and of the study services when SMART_LAUNCH_URL is set', async () => {
    const app = await listen({ SMART_LAUNCH_URL: LAUNCH });
    const services = await servicesOf(app);
    const bundle = bothStudies();
    const trials = await cardsOf(app, 'trials-prescreen', sampleCall(services.get('trials-prescreen')!, bundle));
    const own = [
      ...(await cardsOf(app, 'belimumab-iim-prescreen', sampleCall(services.get('belimumab-iim-prescreen')!, bundle))),
      ...(await cardsOf(app, 'glp1-ckd-prescreen', sampleCall(services.get('glp1-ckd-prescreen')!, bundle))),
    ];
    expect(trials).toHaveLength(2);
    expect(own).toHaveLength(2);
    for (const [i, studyId] of ['belimumab-iim', 'glp1-ckd'].entries()) {
      for (const card of [trials[i]!, own[i]!]) {
        const [worklist, smart, ...rest] = linksOf(card);
        expect(rest).toEqual([]);
        expect(worklist!.type).toBe('absolute');
        expect(smart).toEqual({ label: expect.any(String), url: LAUNCH, type: 'smart', appContext: expect.any(String) });
        // A JSON string: the app parses it.
        expect(JSON.parse(smart!.appContext!)).toEqual({ study: `ResearchStudy/${studyId}`, subject: `ResearchSubject/${subjectIdOf(card)}` });
        expect(emptiesIn(card)).toEqual([]);
      }
      // The same card either way but for its uuid.
      expect({ ...trials[i], uuid: undefined }).toEqual({ ...own[i], uuid: undefined });
    }
    // The ResearchSubject the app is told of is the study's stored result.
    const subject = (await app.store.getSubject(subjectIdOf(trials[1]!)))!;
    expect(subject.resource['study']).toEqual({ reference: 'ResearchStudy/glp1-ckd' });
  });

  it('is off when SMART_LAUNCH_URL is unset', async () => {
    const app = await listen();
    const services = await servicesOf(app);
    const trials = await cardsOf(app, 'trials-prescreen', sampleCall(services.get('trials-prescreen')!, bothStudies()));
    expect(trials).toHaveLength(2);
    for (const card of trials) expect(linksOf(card).map((l) => l.type)).toEqual(['absolute']);
  });

  it('is checked at start-up: https (http on loopback only), no credentials, never echoed', () => {
    expect(loadConfig({ SMART_LAUNCH_URL: LAUNCH }).cds.smartLaunchUrl).toBe(LAUNCH);
    expect(loadConfig({ SMART_LAUNCH_URL: 'http://localhost:9000/launch' }).cds.smartLaunchUrl).toBe('http://localhost:9000/launch');
    expect(loadConfig({ SMART_LAUNCH_URL: '' }).cds.smartLaunchUrl).toBeUndefined();
    expect(loadConfig({}).cds.smartLaunchUrl).toBeUndefined();
    for (const bad of ['apps.example.org/launch', 'http://apps.example.org/launch', 'https://user:s3cret@apps.example.org/launch', 'javascript:alert(1)', 'https://a b.example.org/']) {
      let error: unknown;
      try {
        loadConfig({ SMART_LAUNCH_URL: bad });
      } catch (e) {
        error = e;
      }
      expect(error, bad).toBeInstanceOf(ConfigError);
      expect((error as Error).message, bad).toMatch(/^invalid configuration: SMART_LAUNCH_URL must be /);
      expect((error as Error).message, bad).not.toContain('s3cret');
    }
  });
});
