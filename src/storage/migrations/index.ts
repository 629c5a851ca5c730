import { migration as researchSubject } from './001-research-subject.js';
import type { Migration } from './migration.js';

/** Applied in this order; append only. Later tables (runs, feedback, audit) come as 002, 003, … */
export const MIGRATIONS: readonly Migration[] = [researchSubject];
