// What a mapping folder becomes once loaded: one code index for every value set, lab, measure,
// agent, class and route, the name matchers, and the compiled FHIRPath. Built once per study at
// start-up; buildModel only reads it.

import type { Route, TestDefinition, Thresholds } from './model.js';
import type { CompiledExtract } from './fhirpath-extract.js';
import type { Agent, Lab, Measure } from './schema.js';
import type { ValueSetIndex } from './value-set-index.js';
import type { SuffixMatcher, WordMatcher } from './word-matcher.js';

/** Keys of the code index, one namespace per kind of rule. */
export const key = {
  valueSet: (id: string) => `vs:${id}`,
  lab: (id: string) => `lab:${id}`,
  measure: (id: string) => `measure:${id}`,
  agent: (id: string) => `agent:${id}`,
  drugClass: (id: string) => `class:${id}`,
  route: (route: Route) => `route:${route}`,
  impliedRoute: (route: Route) => `implies-route:${route}`,
  positiveValue: 'value:positive',
  negativeValue: 'value:negative',
  adverseReaction: 'adverse-reaction',
} as const;

export interface CompiledLab {
  id: string;
  def: Lab;
  /** hCG quantitative: the threshold value (resolved from thresholds.yaml). */
  positiveAtOrAbove?: number;
}

export interface NameTarget {
  kind: 'agent' | 'class';
  id: string;
}

export interface CompiledStudy {
  studyId: string;
  index: ValueSetIndex;
  valueSetIds: string[];
  labs: Map<string, CompiledLab>;
  measures: Map<string, CompiledMeasure>;
  agents: Map<string, Agent>;
  names: WordMatcher<NameTarget>;
  /** Classes matched by a name suffix (monoclonal antibodies: "-mab"). */
  nameSuffixes: SuffixMatcher;
  adverseWords: WordMatcher<true>;
  routeWords: WordMatcher<Route>;
  doseForms: { route: Route; words: WordMatcher<true> }[];
  interpretation: {
    system: string;
    positive: Set<string>;
    negative: Set<string>;
    positiveStrings: Set<string>;
    negativeStrings: Set<string>;
    titreUnits: Set<string>;
  };
  /** Asked with the periodUnit and timing code as sent, so Maps (not the YAML's objects). */
  timing: { periodUnitDays: ReadonlyMap<string, number>; codeSystem: string; perDay: ReadonlyMap<string, number>; productUnits: Set<string> };
  thresholds: Thresholds;
  tests: Record<string, TestDefinition>;
  extract: CompiledExtract;
}

export interface CompiledMeasure {
  id: string;
  def: Measure;
  /** For a generic code (`scaleOf`): the measures it may be, by the top of their scale, smallest first. */
  scales?: { id: string; scale: number }[];
}
