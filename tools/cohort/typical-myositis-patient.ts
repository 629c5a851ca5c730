// One typical myositis patient (dermatomyositis, ~300 resources) for benchmarks.

import { toBundle, type CollectionBundle } from './bundle.js';
import { Calendar } from './calendar.js';
import { DEFAULT_AS_OF, myositisPatient } from './generate-cohort.js';
import { Rng } from './random.js';
import { TYPICAL_SCENARIOS } from './myositis-scenarios.js';

/** The first of the seed's candidates whose record has 270–330 resources (deterministic). */
export function typicalMyositisPatient(seed: number | string = 1, asOf: string = DEFAULT_AS_OF): CollectionBundle {
  const cal = new Calendar(asOf);
  let best: ReturnType<typeof myositisPatient> | undefined;
  for (let k = 0; k < 50; k++) {
    const p = myositisPatient(new Rng(`typical-myositis:${String(seed)}:${k}`), cal, TYPICAL_SCENARIOS[0]!);
    if (!best || Math.abs(p.resources.length - 300) < Math.abs(best.resources.length - 300)) best = p;
    if (Math.abs(p.resources.length - 300) <= 30) break;
  }
  return toBundle(best!.patientId, best!.resources);
}
