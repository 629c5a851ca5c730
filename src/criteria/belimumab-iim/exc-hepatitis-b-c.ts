// E16 (`exc-hepatitis-b-c`), exactly as written:
//   met     if the latest HBsAg or the latest total HBcAb is positive, or a hepatitis B infection
//           is recorded (any clinical status); or if the latest HCV antibody is positive and the
//           latest HCV RNA is detectable, or chronic hepatitis C is recorded and active.
//   not-met if the latest HBsAg and HBcAb are negative and the latest HCV antibody is negative
//           (or the latest HCV RNA is not detected).
// Open: otherwise `unknown`, naming each missing test (the protocol tests at screening).
// "Latest" has no look-back here: the most recent result on or before D.

import type { EligibilityModel, LabResult } from '../../mapping/model.js';
import type { MissingData } from '../types.js';
import { conditionsWith, isActiveCondition } from '../common/active-condition.js';
import { conditionLabel, dateText, listText } from '../common/labels.js';
import { latestLab, sharedPositivity } from '../common/latest-lab.js';
import { missingTest } from '../common/missing-data.js';
import { decided, undecided } from '../common/outcome.js';
import type { Criterion } from '../types.js';

interface Latest {
  test: string;
  positivity: LabResult['positivity'] | 'missing';
  results: LabResult[];
  /** `the latest HBsAg on 2025-08-16 is negative (Negative; Observation/x)`, with its own word. */
  says(word?: string): string;
  text: string;
}

const WORDS = { positive: 'positive', negative: 'negative', conflict: 'conflicting', unknown: 'unreadable' } as const;

function latestOf(model: EligibilityModel, test: string, name: string): Latest {
  const found = latestLab(model, [test]);
  if (found.latest.length === 0) {
    const text = found.straddling.length > 0
      ? `the ${name} result dated ${listText(found.straddling.map((l) => dateText(l.date!)))} may be after ${model.asOf}`
      : `no ${name} result`;
    return { test, positivity: 'missing', results: found.straddling, says: () => text, text };
  }
  const positivity = sharedPositivity(found.latest)!;
  const first = found.latest[0]!;
  const when = first.date ? ` on ${dateText(first.date)}` : ' (undated)';
  const unclear = positivity === 'conflict' || positivity === 'unknown';
  const values = listText(found.latest.map((l) => `${l.valueText || 'no value'}${unclear && l.positivityReason ? `, ${l.positivityReason}` : ''}`));
  const refs = found.latest.map((l) => l.ref).join(', ');
  const says = (word: string = WORDS[positivity]): string => `the latest ${name}${when} is ${word} (${values}; ${refs})`;
  return { test, positivity, results: found.latest, says, text: says() };
}

export const criterion: Criterion = {
  id: 'exc-hepatitis-b-c',
  type: 'exclusion',
  evaluate(model) {
    const hbsag = latestOf(model, 'hbsag', 'HBsAg');
    const hbcab = latestOf(model, 'hbcab', 'HBcAb (total)');
    const hcvAb = latestOf(model, 'hcv-ab', 'HCV antibody');
    const hcvRna = latestOf(model, 'hcv-rna', 'HCV RNA');
    const hbvConditions = conditionsWith(model, ['hepatitis-b']);
    const hcvActive = conditionsWith(model, ['hepatitis-c-chronic']).filter((dx) => isActiveCondition(dx, model.asOf));

    const metItems: string[] = [];
    const metRefs: string[] = [];
    for (const l of [hbsag, hbcab]) {
      if (l.positivity === 'positive') {
        metItems.push(l.text);
        metRefs.push(...l.results.map((r) => r.ref));
      }
    }
    for (const dx of hbvConditions) {
      metItems.push(`hepatitis B recorded: ${conditionLabel(dx)}`);
      metRefs.push(dx.ref);
    }
    if (hcvAb.positivity === 'positive' && hcvRna.positivity === 'positive') {
      metItems.push(`${hcvAb.text} and ${hcvRna.says('detectable')}`);
      metRefs.push(...hcvAb.results.map((r) => r.ref), ...hcvRna.results.map((r) => r.ref));
    }
    for (const dx of hcvActive) {
      metItems.push(`active chronic hepatitis C recorded: ${conditionLabel(dx)}`);
      metRefs.push(dx.ref);
    }
    if (metItems.length > 0) return decided('met', listText(metItems), metRefs);

    const hbvClear = hbsag.positivity === 'negative' && hbcab.positivity === 'negative';
    const hcvClearBy = hcvAb.positivity === 'negative' ? hcvAb : hcvRna.positivity === 'negative' ? hcvRna : undefined;
    if (hbvClear && hcvClearBy) {
      const rna = hcvClearBy === hcvRna ? hcvRna.says('not detected') : hcvAb.text;
      return decided(
        'not-met',
        `${hbsag.text}, ${hbcab.text} and ${hcvClearBy === hcvRna ? `${hcvAb.text}, but ${rna}` : rna}`,
        [...hbsag.results, ...hbcab.results, ...hcvClearBy.results, ...(hcvClearBy === hcvRna ? hcvAb.results : [])].map((r) => r.ref),
      );
    }

    const missing: MissingData[] = [];
    const open: Latest[] = [];
    for (const l of [hbsag, hbcab]) {
      if (l.positivity !== 'negative') {
        open.push(l);
        missing.push(missingTest(model, l.test, l.text));
      }
    }
    if (!hcvClearBy) {
      if (hcvAb.positivity === 'positive') {
        open.push(hcvAb, hcvRna);
        missing.push(missingTest(model, 'hcv-rna', `${hcvRna.text}; HCV antibody is positive, so HCV RNA decides`));
      } else {
        open.push(hcvAb);
        missing.push(missingTest(model, 'hcv-ab', hcvAb.text));
        if (hcvRna.positivity !== 'missing') open.push(hcvRna);
      }
    }
    const known = [hbsag, hbcab, hcvAb, hcvRna].filter((l) => l.results.length > 0);
    return undecided(`hepatitis B/C status incomplete: ${listText(open.map((l) => l.text))}`, {
      evidence: known.flatMap((l) => l.results.map((r) => r.ref)),
      missingData: missing,
    });
  },
};
