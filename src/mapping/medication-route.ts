// The route of a medication record (routes.yaml): a coded dosage route, else the route's
// text, else the route the drug code implies, else RxNorm dose-form words in the drug's name
// ("Injectable Solution" is parenteral with the route unknown, "Oral Tablet" oral).

import { key, type CompiledStudy } from './compiled-study.js';
import { isRecord, readCodings } from './fhir-values.js';
import type { Route } from './model.js';

const ROUTES: Route[] = ['oral', 'iv', 'im', 'sc', 'parenteral', 'non-systemic', 'other'];
const ROUTE_KEYS = ROUTES.map((r) => [r, key.route(r)] as const);

export function routeOf(study: CompiledStudy, dosages: unknown[], implied: Route | undefined, names: string[]): Route | undefined {
  // Several dosage lines with different routes: no single route can be claimed ('other').
  let found: Route | undefined;
  let several = false;
  const see = (r: Route): void => {
    if (found === undefined) found = r;
    else if (found !== r) several = true;
  };
  for (const d of dosages) {
    if (!isRecord(d) || d['route'] === undefined) continue;
    const route = d['route'];
    let coded = false;
    for (const c of readCodings(route)) {
      const keys = study.index.match(c.system, c.code);
      if (keys.length === 0) continue;
      for (const [r, routeKey] of ROUTE_KEYS) {
        if (keys.includes(routeKey)) {
          see(r);
          coded = true;
        }
      }
    }
    if (!coded && isRecord(route) && typeof route['text'] === 'string') {
      for (const r of study.routeWords.find(route['text'])) see(r);
    }
  }
  if (several) return 'other';
  if (found !== undefined) return found;
  if (implied) return implied;
  for (const { route, words } of study.doseForms) {
    for (const n of names) if (words.find(n).length > 0) return route;
  }
  return undefined;
}
