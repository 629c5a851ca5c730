import { migration as researchSubject } from './001-research-subject.js';
import { migration as screeningRun } from './002-screening-run.js';
import { migration as cdsFeedback } from './010-cds-feedback.js';
import { migration as candidateResource } from './011-candidate-resource.js';
import { migration as auditEvent } from './020-audit-event.js';
import { migration as coordinatorDecision } from './030-coordinator-decision.js';
import { migration as candidateRecord } from './040-candidate-record.js';
import { migration as researchSubjectText } from './050-research-subject-text.js';
import { migration as cdsCardStudy } from './051-cds-card-study.js';
import { migration as candidateRecordDigest } from './052-candidate-record-digest.js';
import type { Migration } from './migration.js';

/** Applied in this order; append only. Later tables (runs, feedback, audit) come as 002, 003, … */
export const MIGRATIONS: readonly Migration[] = [researchSubject, screeningRun, cdsFeedback, candidateResource, auditEvent, coordinatorDecision, candidateRecord, researchSubjectText, cdsCardStudy, candidateRecordDigest];
