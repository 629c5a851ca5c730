// ANA by titre: positive for I3 at 1:160 or more (the seed's "> 1:80"),
// negative at 1:80 or less or on a negative screen. Titres are doubling dilutions, so `>1:80`
// means at least 1:160 and `<1:160` at most 1:80; anything in between decides nothing.

import type { LabResult } from '../../mapping/model.js';
import type { Thresholds } from '../belimumab-iim/thresholds.js';

export type AnaReading = 'positive' | 'negative' | 'conflict' | 'neither';

export function readAna(lab: LabResult, thresholds: Thresholds['inc-autoantibody']): AnaReading {
  if (lab.test === 'ana-titre' && lab.titre) {
    const { denominator: n, comparator } = lab.titre;
    const lowest = comparator === '>' ? n * 2 : comparator === '<' ? 0 : n;
    const highest = comparator === '<' ? n / 2 : n;
    if (lowest >= thresholds.anaPositiveMinDenominator) return 'positive';
    if (highest <= thresholds.anaNegativeMaxDenominator) return 'negative';
    return 'neither';
  }
  if (lab.positivity === 'negative') return 'negative';
  if (lab.positivity === 'conflict') return 'conflict';
  // A positive screen gives no titre: it neither meets "> 1:80" nor rules ANA out.
  if (lab.positivity === 'positive' && lab.test === 'ana-titre') return 'positive';
  return 'neither';
}
