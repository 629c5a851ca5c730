// Every canonical URL the service mints, derived from one configured base so a site that
// hosts its own definitions changes one setting.

export function eligibilityExtensionUrl(canonicalBase: string): string {
  return `${canonicalBase}/StructureDefinition/eligibility-evaluation`;
}

/** The CodeSystem whose codes are a study's criterion ids. */
export function criteriaCodeSystemUrl(canonicalBase: string, studyId: string): string {
  return `${canonicalBase}/CodeSystem/${studyId}`;
}

/** The CodeSystem of the PRESCREEN_* error codes in OperationOutcome.issue.details. */
export function errorCodeSystemUrl(canonicalBase: string): string {
  return `${canonicalBase}/CodeSystem/errors`;
}

export function screenOperationUrl(canonicalBase: string): string {
  return `${canonicalBase}/OperationDefinition/ResearchStudy-screen`;
}

/** The type-level $screen: every study, or those named by `study`. */
export function screenAllOperationUrl(canonicalBase: string): string {
  return `${canonicalBase}/OperationDefinition/ResearchStudy-screen-all`;
}
