// E10 (`exc-investigational-biologic-365d`): a biologic investigational agent within 365 days.
// Investigational agents are rarely coded in an EHR: a person confirms (manual).

import { manualOnly } from '../common/manual-only.js';

export const criterion = manualOnly(
  'exc-investigational-biologic-365d',
  'exclusion',
  'whether a biologic investigational agent was given within 365 days: the study team confirms with the patient and trial registries',
);
