// Applies a block's `whenMissing` policy (params.ts) to "nothing in the record answers it".

import type { MissingData } from '../types.js';
import { kitDecided, kitManual, kitOpen, type KitOutcome } from './outcome.js';
import type { WhenMissing } from './params.js';

export function nothingFound(policy: WhenMissing, reason: string, missingData: MissingData[], evidence: string[] = []): KitOutcome {
  switch (policy) {
    case 'open':
      return kitOpen(reason, missingData, evidence);
    case 'manual':
      return kitManual(reason, evidence, missingData);
    case 'met':
    case 'not-met':
      return kitDecided(policy, reason, evidence);
  }
}
