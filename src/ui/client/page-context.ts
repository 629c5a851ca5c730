// What every view of the page shares: the settings from /app/api/config and a status line.

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

export interface Decision {
  id: string;
  subjectId: string;
  decision: string;
  criterionId?: string;
  criterionResult?: string;
  subjectVersion: number;
  note?: string;
  decidedBy?: string;
  decidedAt: string;
}

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
  /** Says something in the live region (read out by screen readers). */
  say(message: string, error?: boolean): void;
}

export function studyOf(context: PageContext, id: string | null | undefined): StudyInfo | undefined {
  return context.config.studies.find((s) => s.id === id) ?? context.config.studies[0];
}

export function criterionLabel(study: StudyInfo | undefined, id: string): string {
  const c = study?.criteria.find((x) => x.id === id);
  return c ? `${c.seed} ${c.title}` : id;
}
