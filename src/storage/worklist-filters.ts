// Two worklist filters of GET /ResearchSubject beyond the FHIR basics, as SQL conditions on
// research_subject (sql-store.ts's whereOf adds them), so they page with the same search:
//   held-by=<criterion>   the only criterion that fails is this one (an inclusion not-met or an
//                         exclusion met), e.g. everyone held only by exc-rituximab-365d;
//   changed=true          changed by the study's latest finished nightly run (new on the
//                         worklist, or its status or any criterion result differs from the run
//                         before), or screened again since that run finished. With no run yet,
//                         everything counts as changed.
// And the worklist page's "candidates for more than one trial", which lists patients, not rows.

/** Failing criterion ids of a stored ResearchSubject, as a jsonb array in protocol order. */
export const FAILING_CRITERIA = `jsonb_path_query_array(resource::jsonb,
  '$.extension[*] ? (@.url like_regex "/StructureDefinition/eligibility-evaluation$").extension[*] ? (@.url == "criterion")
     ? ((exists(@.extension[*] ? (@.url == "type" && @.valueCode == "inclusion")) && exists(@.extension[*] ? (@.url == "result" && @.valueCode == "not-met")))
     || (exists(@.extension[*] ? (@.url == "type" && @.valueCode == "exclusion")) && exists(@.extension[*] ? (@.url == "result" && @.valueCode == "met"))))
     .extension[*] ? (@.url == "id").valueCode')`;

export function heldOnlyByCondition(placeholder: string): string {
  return `${FAILING_CRITERIA} = jsonb_build_array(${placeholder}::text)`;
}

const FINISHED_RUN = `SELECT r.id FROM screening_run r
  WHERE r.study_id = research_subject.study_id AND r.status IN ('complete', 'partial') AND r.finished IS NOT NULL
  ORDER BY r.finished DESC`;

export const CHANGED_SINCE_LAST_RUN = `(
  EXISTS (
    SELECT 1 FROM screening_run_patient cur
    WHERE cur.subject_id = research_subject.id
      AND cur.run_id = (${FINISHED_RUN} LIMIT 1)
      AND NOT EXISTS (
        SELECT 1 FROM screening_run_patient prev
        WHERE prev.run_id = (${FINISHED_RUN} OFFSET 1 LIMIT 1)
          AND prev.patient_ref = cur.patient_ref AND prev.subject_id IS NOT NULL
          AND prev.status = cur.status AND prev.results = cur.results))
  OR research_subject.last_updated > COALESCE(
    (SELECT max(r.finished) FROM screening_run r
     WHERE r.study_id = research_subject.study_id AND r.status IN ('complete', 'partial')),
    '-infinity'::timestamptz))`;

// Patients who are candidate or potential-candidate in two or more of the given studies, as
// worklist rows grouped by patient (sql-store.ts's searchSeveralStudies pages them): $1 the
// studies counted (the caller's; a study outside them neither counts nor shows), $2 one study
// that must be among them, or NULL. Newest qualifying result first, then patient_ref.
export const SEVERAL_STUDIES_STATUSES = ['candidate', 'potential-candidate'] as const;

export const SEVERAL_STUDIES_PATIENTS = `
  SELECT patient_ref, max(last_updated) AS newest
  FROM research_subject
  WHERE study_id = ANY($1::text[]) AND status IN ('${SEVERAL_STUDIES_STATUSES.join("', '")}')
  GROUP BY patient_ref
  HAVING count(DISTINCT study_id) >= 2 AND ($2::text IS NULL OR bool_or(study_id = $2::text))`;
