// One Evaluation as a CDS Hooks 2.0 card [Card Attributes]. A (potential-)candidate gets one
// info card: a one-sentence summary under 140 characters naming the trial (its acronym when the
// title would not fit), a Markdown detail listing what a person must still confirm or which
// missing data would decide it, a link to the ResearchSubject in the worklist and, when the
// deployment has one, a SMART app link [Link] whose appContext names the study and the
// ResearchSubject. An ineligible patient gets no card unless the deployment asks for one naming
// the failing criteria. No field is ever null or empty [Use of JSON].

import type { CriterionEvaluation } from '../criteria/types.js';
import type { Evaluation } from '../screening/evaluation.js';
import { isFailing } from '../screening/status.js';

export interface CardCriterion {
  seed: string;
  title: string;
}

export interface CardContext {
  uuid: string;
  studyTitle: string;
  /** Names the trial in the summary when the title would not fit in it. */
  studyAcronym?: string;
  /** criterion id → its protocol number and short title. */
  criteria: ReadonlyMap<string, CardCriterion>;
  /** Absolute URL of the ResearchSubject on the worklist page. */
  subjectUrl: string;
  canonicalBase: string;
  /** Answer ineligible patients with a card naming the failing criteria. */
  ineligibleCards: boolean;
  /** A SMART app to launch from the card (SMART_LAUNCH_URL), and the ResearchSubject it opens. */
  smartLaunch?: { url: string; subjectId: string };
}

export interface CdsCoding {
  system: string;
  code: string;
  display: string;
}

export interface CdsCardBody {
  uuid: string;
  summary: string;
  detail: string;
  indicator: 'info';
  source: { label: string };
  overrideReasons: CdsCoding[];
  links: CdsLinkBody[];
}

export type CdsLinkBody =
  | { label: string; url: string; type: 'absolute' }
  /** appContext: a JSON string, passed to the app at launch as is [Link]. */
  | { label: string; url: string; type: 'smart'; appContext: string };

export interface RenderedCard {
  card: CdsCardBody;
  /** The criteria the card puts in front of the clinician (feedback is counted against them). */
  criteria: string[];
}

export const SUMMARY_MAX = 139;

const OVERRIDE_REASONS: [string, string][] = [
  ['data-incorrect', 'The record is wrong or out of date'],
  ['not-appropriate', 'Not appropriate for this patient'],
  ['already-known', 'Already screened or referred'],
  ['not-now', 'Not the right time to raise it'],
];

/** Markdown-special characters in our text (reasons, titles) are shown as written. */
export function escapeMarkdown(text: string): string {
  return text.replace(/[\\`*_[\]{}<>#|~]/g, (c) => `\\${c}`).replace(/\s+/g, ' ').trim();
}

/** One sentence, cut at a word under the limit with an ellipsis when it would be too long. */
export function fitSummary(text: string, max = SUMMARY_MAX): string {
  if (text.length <= max) return text;
  const cut = text.slice(0, max - 1);
  const space = cut.lastIndexOf(' ');
  return `${(space > max / 2 ? cut.slice(0, space) : cut).replace(/[\s,:;.-]+$/, '')}…`;
}

function label(c: CriterionEvaluation, context: CardContext): string {
  const def = context.criteria.get(c.id);
  return def ? `**${escapeMarkdown(def.seed)} ${escapeMarkdown(def.title)}**` : `**${escapeMarkdown(c.id)}**`;
}

function reasonLine(c: CriterionEvaluation, context: CardContext): string {
  return c.reason ? `- ${label(c, context)}: ${escapeMarkdown(c.reason)}` : `- ${label(c, context)}`;
}

function missingLine(c: CriterionEvaluation, context: CardContext): string {
  const texts = c.missingData.map((m) => escapeMarkdown(m.text)).filter((t) => t !== '');
  if (texts.length === 0) return reasonLine(c, context);
  return `- ${label(c, context)}: ${texts.join('; ')}`;
}

const plural = (n: number, one: string, many: string) => `${n} ${n === 1 ? one : many}`;

/** What a SMART app launched from the card is told: which study, and which result. */
export function smartAppContext(studyId: string, subjectId: string): string {
  return JSON.stringify({ study: `ResearchStudy/${studyId}`, subject: `ResearchSubject/${subjectId}` });
}

/** The summary with the trial's title, or its acronym when the title would not fit. */
function summaryOf(context: CardContext, sentence: (trial: string) => string): string {
  const full = sentence(context.studyTitle);
  if (full.length <= SUMMARY_MAX || context.studyAcronym === undefined) return fitSummary(full);
  return fitSummary(sentence(context.studyAcronym));
}

export function renderCdsCard(evaluation: Evaluation, context: CardContext): RenderedCard | undefined {
  const study = escapeMarkdown(context.studyTitle);
  const asOf = evaluation.asOf;
  const manual = evaluation.criteria.filter((c) => c.result === 'unknown' && c.manual);
  const open = evaluation.criteria.filter((c) => c.result === 'unknown' && !c.manual);
  const failing = evaluation.criteria.filter(isFailing);
  const notice = 'This is a pre-screen, not an eligibility decision: the study team confirms eligibility.';

  let summary: string;
  let shown: CriterionEvaluation[];
  const sections: string[] = [];
  if (evaluation.status === 'candidate') {
    summary = summaryOf(context, (trial) => `Possible candidate for the trial "${trial}": ${plural(manual.length, 'item', 'items')} to confirm.`);
    shown = manual;
    sections.push(`**Pre-screen: candidate** for *${study}* (as of ${asOf}). ${notice}`);
    if (manual.length > 0) sections.push(['**A person must still confirm:**', ...manual.map((c) => reasonLine(c, context))].join('\n'));
  } else if (evaluation.status === 'potential-candidate') {
    summary = summaryOf(context, (trial) => `May qualify for the trial "${trial}": ${plural(open.length, 'criterion needs', 'criteria need')} more data.`);
    shown = [...open, ...manual];
    sections.push(`**Pre-screen: potential candidate** for *${study}* (as of ${asOf}). ${notice}`);
    sections.push(['**Missing data that would decide it:**', ...open.map((c) => missingLine(c, context))].join('\n'));
    if (manual.length > 0) sections.push(['**A person must also confirm:**', ...manual.map((c) => reasonLine(c, context))].join('\n'));
  } else {
    if (!context.ineligibleCards) return undefined;
    summary = summaryOf(context, (trial) => `Not eligible for the trial "${trial}": ${plural(failing.length, 'criterion fails', 'criteria fail')}.`);
    shown = failing;
    sections.push(`**Pre-screen: ineligible** for *${study}* (as of ${asOf}).`);
    sections.push(['**Failing criteria:**', ...failing.map((c) => reasonLine(c, context))].join('\n'));
    if (evaluation.eligibleFrom) sections.push(`If nothing else changes, the patient may be eligible from ${evaluation.eligibleFrom}.`);
  }
  sections.push(`Source: fhir-prescreen, criteria version ${evaluation.criteriaVersion}.`);

  const system = `${context.canonicalBase}/CodeSystem/cds-override-reason`;
  const links: CdsLinkBody[] = [{ label: 'Open the pre-screen result in the worklist', url: context.subjectUrl, type: 'absolute' }];
  if (context.smartLaunch) {
    links.push({ label: 'Open the trial pre-screen app', url: context.smartLaunch.url, type: 'smart', appContext: smartAppContext(evaluation.studyId, context.smartLaunch.subjectId) });
  }
  return {
    card: {
      uuid: context.uuid,
      summary,
      detail: sections.join('\n\n'),
      indicator: 'info',
      source: { label: 'fhir-prescreen trial pre-screening' },
      overrideReasons: OVERRIDE_REASONS.map(([code, display]) => ({ system, code, display })),
      links,
    },
    criteria: shown.map((c) => c.id),
  };
}
