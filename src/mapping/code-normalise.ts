// One spelling per code, so that matching is a plain string comparison. ICD-10-CM arrives both
// dotted and dotless (M33.10 = M3310); every rule compares the dotted form.

export const ICD10CM = 'http://hl7.org/fhir/sid/icd-10-cm';

export function normaliseCode(system: string, code: string): string {
  const trimmed = code.trim();
  if (system !== ICD10CM) return trimmed;
  const upper = trimmed.toUpperCase().replace(/\s+/g, '');
  if (upper.includes('.') || upper.length <= 3) return upper;
  return `${upper.slice(0, 3)}.${upper.slice(3)}`;
}

/** The nth character (1-based) of a code, ignoring its dot: T39.012A → 6th is `2`. */
export function nthCharacter(code: string, n: number): string | undefined {
  return code.replace('.', '')[n - 1];
}
