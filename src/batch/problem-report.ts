// Lines the finder could not use: counted by reason and reported with file and line number
// (never the line's content, which is patient data), then skipped; the run goes on.

export type ProblemReason =
  | 'not-json'
  | 'not-utf8'
  | 'line-too-long'
  | 'not-a-resource'
  | 'no-patient-reference'
  | 'not-patient-data'
  | 'patient-absent'
  | 'conflicting-duplicate'
  | 'too-deep'
  | 'patient-unidentified'
  | 'screening-error'
  | 'export-error-file';

export interface Problem {
  file?: string;
  line?: number;
  reason: ProblemReason | string;
  /** Set for problems about a patient (not screened), never for a line's content. */
  patient?: string;
}

export class ProblemReport {
  readonly counts: Record<string, number> = {};
  readonly #seen = new Set<string>();
  total = 0;

  constructor(private readonly sink: (problem: Problem) => void = () => undefined) {}

  add(problem: Problem): void {
    // Condition files are read in both passes; a bad line is still one problem.
    if (problem.file !== undefined && problem.line !== undefined) {
      const key = `${problem.file}:${problem.line}`;
      if (this.#seen.has(key)) return;
      this.#seen.add(key);
    }
    this.total += 1;
    this.counts[problem.reason] = (this.counts[problem.reason] ?? 0) + 1;
    this.sink(problem);
  }
}

/**
 * The problems of a run over several studies, each study with its own report: a problem goes
 * to the studies whose single-study run would have met it (those whose candidates the line
 * names), or to every study when any run would have (a line every run reads).
 */
export class StudyProblems {
  constructor(readonly reports: readonly ProblemReport[]) {}

  /** `studies`: indices into `reports`; undefined: every study. */
  add(problem: Problem, studies?: Iterable<number>): void {
    if (studies === undefined) for (const report of this.reports) report.add(problem);
    else for (const i of studies) this.reports[i]!.add(problem);
  }
}
