// What every view of the page shares: the settings from /app/api/config and a status line.

import type { StoredDecision } from '../../storage/decision-store.js';

export interface CriterionInfo {
  id: string;
  seed: string;
  type: 'inclusion' | 'exclusion';
  title: string;
}

export interface StudyInfo {
  id: string;
  title: string;
  criteria: CriterionInfo[];
}

export interface PageConfig {
  patientLinkTemplate?: string;
  studies: StudyInfo[];
}

/** A coordinator's decision as the decision routes send it: the stored row, nothing restated. */
export type Decision = StoredDecision;

export const DECISION_LABELS: Record<string, string> = {
  contacted: 'Contacted',
  'screen-failed': 'Screen-failed',
  enrolled: 'Enrolled',
  'not-interested': 'Not interested',
};

export const STATUS_LABELS: Record<string, string> = {
  candidate: 'Candidate',
  'potential-candidate': 'Potential candidate',
  ineligible: 'Ineligible',
};

export interface PageContext {
  config: PageConfig;
  /** The worklist as last shown (its study and filters), for "Back to the worklist". */
  worklistHref: string;
  /** Says something in the live region (read out by screen readers). */
  say(message: string, error?: boolean): void;
}

/** The study switcher's value for every study at once (`#/?study=all`). */
export const ALL_STUDIES = 'all';

/** The study of a ResearchSubject's `ResearchStudy/<id>` reference, when the page knows it. */
export function studyOfReference(context: PageContext, reference: string): StudyInfo | undefined {
  const id = reference.replace(/^ResearchStudy\//, '');
  return context.config.studies.find((s) => s.id === id);
}

/** The study named, else the first: views that need one study (runs, rule feedback) read `all` as the first. */
export function studyOf(context: PageContext, id: string | null | undefined): StudyInfo | undefined {
  return context.config.studies.find((s) => s.id === id) ?? context.config.studies[0];
}

/** A criterion as coordinators name it, `E6 · Rituximab within 365 days`; its id when the study does not know it. */
export function criterionLabel(study: StudyInfo | undefined, id: string): string {
  const c = study?.criteria.find((x) => x.id === id);
  return c ? `${c.seed} · ${c.title}` : id;
}
