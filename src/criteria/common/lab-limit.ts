// A converted lab value against a limit, honouring a written comparator: `<300 mg/dL` is
// surely below 400, `<500 mg/dL` is not known to be.

import type { LabResult } from '../../mapping/model.js';

export type LimitReading = 'below' | 'at-or-above' | 'uncertain';

export function compareToLimit(lab: LabResult, limit: number): LimitReading {
  const v = lab.value;
  if (v === undefined) return 'uncertain';
  switch (lab.comparator) {
    case undefined:
      return v < limit ? 'below' : 'at-or-above';
    case '<':
      return v <= limit ? 'below' : 'uncertain';
    case '<=':
      return v < limit ? 'below' : 'uncertain';
    case '>':
    case '>=':
      return v >= limit ? 'at-or-above' : 'uncertain';
  }
}

/** `350 mg/dL`, `<5 mg/dL`. */
export function valueText(lab: LabResult, unit: string | undefined): string {
  return `${lab.comparator ?? ''}${lab.value}${unit ? ` ${unit}` : ''}`;
}
