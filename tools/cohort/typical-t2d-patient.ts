// One typical glp1-ckd candidate (type 2 diabetes with CKD, ~300 resources) for benchmarks:
// the favourable plan, so that screening reads every criterion to the end, with a few years of
// routine care around it.

import { toBundle, type CollectionBundle } from './bundle.js';
import { Calendar } from './calendar.js';
import { DEFAULT_AS_OF } from './generate-cohort.js';
import { Rng } from './random.js';
import { RecordBuilder } from './record-builder.js';
import { writeT2dPatient } from './t2d-history.js';
import { favourableT2dPlan } from './t2d-plan.js';

/** The first of the seed's candidates whose record has 270–330 resources (deterministic). */
export function typicalT2dCkdPatient(seed: number | string = 1, asOf: string = DEFAULT_AS_OF): CollectionBundle {
  const cal = new Calendar(asOf);
  let best: RecordBuilder | undefined;
  for (let k = 0; k < 50; k++) {
    const rng = new Rng(`typical-t2d-ckd:${String(seed)}:${k}`);
    const b = new RecordBuilder(rng, cal);
    const plan = favourableT2dPlan(rng, cal);
    plan.intensity = 3;
    writeT2dPatient(b, plan, true);
    if (!best || Math.abs(b.resources.length - 300) < Math.abs(best.resources.length - 300)) best = b;
    if (Math.abs(b.resources.length - 300) <= 30) break;
  }
  return toBundle(best!.patientId, best!.resources);
}
