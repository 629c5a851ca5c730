// E11 (`exc-investigational-agent-30d`): a non-biologic investigational agent within 30 days or
// 5 half-lives. The half-life depends on the agent: a person confirms (manual).

import { manualOnly } from '../common/manual-only.js';

export const criterion = manualOnly(
  'exc-investigational-agent-30d',
  'exclusion',
  'whether a non-biologic investigational agent was given within 30 days or 5 half-lives: the study team confirms',
);
