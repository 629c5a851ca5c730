// Feedback on trials-prescreen's cards: each card's feedback counts for that card's study, in
// GET /cds-services/{study}-prescreen/feedback-summary beside the study service's own cards;
// trials-prescreen's summary is one such summary per study. A card is answered for only at the
// service that issued it: anything else is 404, as for the study services.
import { describe, expect, it } from 'vitest';
import { listen, type Json, type Listening } from './setup.js';
import { bothStudies, cardsOf, sampleCall, servicesOf } from './trials-setup.js';

interface CriterionRow {
  criterion: string;
  cards: number;
  accepted: number;
  overridden: number;
  overrideReasons?: { code: string; count: number }[];
}

interface StudySummary {
  service: string;
  study: string;
  criteria: CriterionRow[];
}

async function summary(app: Listening, service: string): Promise<Json> {
  const response = await app.get(`/cds-services/${service}/feedback-summary`);
  expect(response.status).toBe(200);
  return (await response.json()) as Json;
}

const flagged = (s: StudySummary) => s.criteria.filter((c) => c.cards > 0);

describe('feedback on trials-prescreen cards', () => {
  it('lands in the summary of each card\'s own study, and trials-prescreen sums up per study', async () => {
    const app = await listen();
    const services = await servicesOf(app);
    const [belimumab, glp1] = await cardsOf(app, 'trials-prescreen', sampleCall(services.get('trials-prescreen')!, bothStudies()));
    const reason = (glp1!['overrideReasons'] as Json[])[1]!;
    const response = await app.post('/cds-services/trials-prescreen/feedback', {
      feedback: [
        { card: belimumab!['uuid'], outcome: 'accepted', outcomeTimestamp: '2026-11-24T10:00:00Z' },
        { card: glp1!['uuid'], outcome: 'overridden', overrideReason: { reason, userComment: 'Seen by nephrology' }, outcomeTimestamp: '2026-11-24T10:01:00Z' },
      ],
    });
    expect(response.status).toBe(200);
    expect(await response.text()).toBe('');

    const ownB = (await summary(app, 'belimumab-iim-prescreen')) as unknown as StudySummary;
    const ownG = (await summary(app, 'glp1-ckd-prescreen')) as unknown as StudySummary;
    expect(ownB).toMatchObject({ service: 'belimumab-iim-prescreen', study: 'belimumab-iim' });
    expect(ownG).toMatchObject({ service: 'glp1-ckd-prescreen', study: 'glp1-ckd' });
    // belimumab-iim's criteria on its card: accepted once; none overridden. glp1-ckd's: overridden once.
    expect(flagged(ownB).length).toBeGreaterThan(0);
    for (const c of flagged(ownB)) expect(c).toMatchObject({ cards: 1, accepted: 1, overridden: 0 });
    expect(flagged(ownG).length).toBeGreaterThan(0);
    for (const c of flagged(ownG)) expect(c).toMatchObject({ cards: 1, accepted: 0, overridden: 1, overrideReasons: [{ code: reason['code'], count: 1 }] });
    // Each summary names only its own study's criteria.
    expect(ownB.criteria.map((c) => c.criterion)).toContain('inc-diagnosis');
    expect(ownG.criteria.map((c) => c.criterion)).toContain('inc-type2-diabetes');
    expect(ownG.criteria.map((c) => c.criterion)).not.toContain('inc-diagnosis');

    const trials = await summary(app, 'trials-prescreen');
    expect(trials).toEqual({ service: 'trials-prescreen', studies: [ownB, ownG] });
    expect(app.logs.text()).not.toContain('nephrology');
  });

  it('counts a study service\'s cards and trials-prescreen\'s cards together in the study\'s summary', async () => {
    const app = await listen();
    const services = await servicesOf(app);
    const bundle = bothStudies();
    const [fromTrials] = await cardsOf(app, 'trials-prescreen', sampleCall(services.get('trials-prescreen')!, bundle));
    const [fromOwn] = await cardsOf(app, 'belimumab-iim-prescreen', sampleCall(services.get('belimumab-iim-prescreen')!, bundle));
    expect((await app.post('/cds-services/trials-prescreen/feedback', { feedback: [{ card: fromTrials!['uuid'], outcome: 'accepted', outcomeTimestamp: '2026-11-24T10:00:00Z' }] })).status).toBe(200);
    expect((await app.post('/cds-services/belimumab-iim-prescreen/feedback', { feedback: [{ card: fromOwn!['uuid'], outcome: 'accepted', outcomeTimestamp: '2026-11-24T10:00:00Z' }] })).status).toBe(200);
    const own = (await summary(app, 'belimumab-iim-prescreen')) as unknown as StudySummary;
    for (const c of flagged(own)) expect(c).toMatchObject({ cards: 2, accepted: 2 });
    // glp1-ckd's card (from trials-prescreen only) has no feedback yet.
    const glp1 = (await summary(app, 'glp1-ckd-prescreen')) as unknown as StudySummary;
    for (const c of flagged(glp1)) expect(c).toMatchObject({ cards: 1, accepted: 0, overridden: 0 });
  });

  it('answers 404 for a card it did not issue, naming the item, and stores nothing of that request', async () => {
    const app = await listen();
    const services = await servicesOf(app);
    const bundle = bothStudies();
    const [trialsCard] = await cardsOf(app, 'trials-prescreen', sampleCall(services.get('trials-prescreen')!, bundle));
    const [ownCard] = await cardsOf(app, 'belimumab-iim-prescreen', sampleCall(services.get('belimumab-iim-prescreen')!, bundle));
    const item = (card: unknown) => ({ card, outcome: 'accepted', outcomeTimestamp: '2026-11-24T10:00:00Z' });
    for (const [service, feedback, index] of [
      ['trials-prescreen', [item(trialsCard!['uuid']), item(crypto.randomUUID())], 1],
      // A study service's card is not trials-prescreen's, and the other way round.
      ['trials-prescreen', [item(ownCard!['uuid'])], 0],
      ['belimumab-iim-prescreen', [item(trialsCard!['uuid'])], 0],
      ['trials-prescreen', [item('not-a-uuid')], 0],
    ] as const) {
      const response = await app.post(`/cds-services/${service}/feedback`, { feedback });
      expect(response.status, `${service} ${index}`).toBe(404);
      const outcome = (await response.json()) as { issue: { code: string; expression: string[] }[] };
      expect(outcome.issue[0]).toMatchObject({ code: 'not-found', expression: [`feedback[${index}].card`] });
    }
    const trials = (await summary(app, 'trials-prescreen')) as { studies: StudySummary[] };
    expect(trials.studies.flatMap((s) => s.criteria).every((c) => c.accepted === 0)).toBe(true);
  });
});
