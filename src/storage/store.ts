// The storage seam. Two implementations share one set of migrations: embedded PGlite (the
// default, in DATA_DIR) and PostgreSQL (DATABASE_URL, via pg).

import type { AuditStore } from '../audit/audit-store.js';
import type { CdsFeedbackStore } from './cds-feedback-store.js';
import type { DecisionStore } from './decision-store.js';
import type { ResourceJson } from './resource-json.js';
import type { RunHistory } from './run-history.js';

export interface StoredSubject {
  /** ResearchSubject.id: stable for study + patient. */
  id: string;
  studyId: string;
  /** `Patient/<id>` */
  patientRef: string;
  status: string;
  asOf: string;
  criteriaVersion: string;
  /** The ResearchSubject as rendered (meta.lastUpdated is set by the store). */
  resource: Record<string, unknown>;
  /** ISO instant of the last upsert. */
  lastUpdated: string;
}

/** A ResearchSubject to store: the store sets lastUpdated. */
export type NewSubject = Omit<StoredSubject, 'lastUpdated'>;

/** A ResearchSubject to store whose resource is already JSON text (a screening thread's). */
export interface NewSubjectJson extends Omit<NewSubject, 'resource'> {
  resourceJson: ResourceJson;
}

export interface SubjectQuery {
  study?: string;
  status?: string[];
  patient?: string;
  /** Only subjects of these studies (the caller's, when the caller may see some only). */
  studies?: readonly string[];
  /** Only subjects updated at or after this instant. */
  lastUpdatedFrom?: string;
  /** Only subjects whose one failing criterion is this (worklist-filters.ts). */
  heldOnlyBy?: string;
  /** Only subjects changed by the latest nightly run or screened since (worklist-filters.ts). */
  changedSinceLastRun?: boolean;
  count: number;
  offset: number;
}

/** Patients who are candidate or potential-candidate in two or more studies (worklist-filters.ts). */
export interface SeveralStudiesQuery {
  /** The studies that count and show: a result in any other study is left out. */
  studies: readonly string[];
  /** Only patients for whom this study is one of the two or more. */
  study?: string;
  count: number;
  offset: number;
}

/** One patient and its stored result in each of the query's studies (any status), by study id. */
export interface PatientResults {
  patientRef: string;
  subjects: StoredSubject[];
}

export interface Store {
  readonly kind: 'pglite' | 'postgres';
  /** Runs pending migrations; safe to call more than once. */
  migrate(): Promise<void>;
  /**
   * Upserts by id in one transaction; returns what the store now holds (with lastUpdated). A
   * stored result for a later asOf is kept, and returned, instead (an equal asOf is replaced).
   */
  upsertSubject(subject: NewSubject): Promise<StoredSubject>;
  /** Upserts many in one transaction (all or none) by the same rule; what the store holds for each, in order. */
  upsertSubjects(subjects: NewSubject[]): Promise<StoredSubject[]>;
  /**
   * The same upsert for a writer that needs nothing back (CDS Hooks), so a subject may bring its
   * resource as JSON text, which is stored as it is and never parsed on the way in.
   */
  writeSubjects(subjects: readonly (NewSubject | NewSubjectJson)[]): Promise<void>;
  getSubject(id: string): Promise<StoredSubject | undefined>;
  /** Newest lastUpdated first, then id. */
  searchSubjects(query: SubjectQuery): Promise<{ total: number; items: StoredSubject[] }>;
  /** Newest qualifying result first, then patient reference; a page of patients. */
  searchSeveralStudies?(query: SeveralStudiesQuery): Promise<{ total: number; items: PatientResults[] }>;
  /** Throws when the database cannot be reached. */
  ping(): Promise<void>;
  /** CDS Hooks cards and feedback (migration 010), when this store keeps them. */
  readonly cdsFeedback?: CdsFeedbackStore;
  /** The audit trail (migration 020), when this store keeps it. */
  readonly audit?: AuditStore;
  /** Coordinators' decisions (migration 030), when this store keeps them. */
  readonly decisions?: DecisionStore;
  /** The nightly runs, read-only (the worklist page's history). */
  readonly runHistory?: RunHistory;
  close(): Promise<void>;
}
