// The patient's resources as ingest hands them to the mapping: indexed once by type, with
// FHIR reference resolution. Resources here are the caller's objects and must never be
// mutated; the mapping clones a resource before it runs FHIRPath on it.

export interface FhirResource {
  resourceType: string;
  id?: string;
  [key: string]: unknown;
}

export interface RecordEntry {
  resource: FhirResource;
  fullUrl?: string;
  /** Evidence reference: `Type/id` as the input gave it, else the entry's fullUrl. */
  ref: string;
  /** FHIRPath of the entry in the input, e.g. `Bundle.entry[3].resource`. */
  path: string;
}

export interface PatientRecord {
  patient: RecordEntry;
  /** Patient.id, or the fullUrl when the Patient has no id. */
  patientId: string;
  /** Every resource of the patient, the Patient included, in input order. */
  entries: RecordEntry[];
  byType: Map<string, RecordEntry[]>;
  /**
   * Resolves a reference made by `from` the FHIR way: `Type/id` (history ignored), absolute
   * URL / `urn:uuid:` / `urn:oid:` by fullUrl, `#id` in `from`'s contained. Unresolvable (a
   * conditional reference, an outside server) → undefined, never an error.
   */
  resolve(reference: unknown, from: RecordEntry): FhirResource | undefined;
}
