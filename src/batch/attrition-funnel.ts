// The attrition funnel, the way ATLAS draws a cohort's inclusion rules: start from the whole
// population and, criterion by criterion in protocol order, count the patients not yet ruled
// out. A patient drops at their first failing criterion. Patients the prefilter ruled out were
// never read past their Conditions: they drop at the study's entry criterion (study.yaml
// `entry:`), and count as passing the criteria before it (nothing read says otherwise).

export interface FunnelStep {
  criterion: string;
  type: 'inclusion' | 'exclusion';
  /** Patients not ruled out by this or any earlier criterion. */
  remaining: number;
  /** Patients whose first failing criterion is this one. */
  dropped: number;
}

export interface AttritionFunnel {
  studyId: string;
  asOf: string;
  population: number;
  /** Patients with data problems (conflicting duplicates, …): not screened, left out of the steps. */
  notScreened: number;
  steps: FunnelStep[];
  /** Not ruled out by any criterion: candidates and potential candidates. */
  final: number;
}

export interface FunnelInput {
  studyId: string;
  asOf: string;
  criteria: readonly { id: string; type: 'inclusion' | 'exclusion' }[];
  /** The entry criterion, where the patients the prefilter ruled out drop. */
  entry: string;
  population: number;
  /** First failing criterion of each screened patient (undefined: none fails). */
  firstFailing: Iterable<string | undefined>;
  screened: number;
  notScreened: number;
}

export function attritionFunnel(input: FunnelInput): AttritionFunnel {
  const dropped = new Map<string, number>();
  for (const first of input.firstFailing) {
    if (first !== undefined) dropped.set(first, (dropped.get(first) ?? 0) + 1);
  }
  const unread = Math.max(0, input.population - input.screened - input.notScreened);
  dropped.set(input.entry, (dropped.get(input.entry) ?? 0) + unread);

  let remaining = input.population - input.notScreened;
  const steps = input.criteria.map((c): FunnelStep => {
    const here = dropped.get(c.id) ?? 0;
    remaining -= here;
    return { criterion: c.id, type: c.type, remaining, dropped: here };
  });
  return {
    studyId: input.studyId,
    asOf: input.asOf,
    population: input.population,
    notScreened: input.notScreened,
    steps,
    final: remaining,
  };
}
