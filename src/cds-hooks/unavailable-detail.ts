// The text of a CDS call's 412 (incomplete): which prefetch keys the call left out, and why
// the service could not fetch them, so an EHR integrator can fix the call without our logs.
// It names fhirServer's host and the upstream HTTP status or the kind of failure; never the
// URL (its path and query name the patient) and never the access token.

import type { DataUnavailableError } from './fhir-fetch.js';

function fetchFailure(error: DataUnavailableError): string | undefined {
  switch (error.reason) {
    case 'status':
      return error.status === undefined ? 'an HTTP error' : `HTTP ${error.status}`;
    case 'timeout':
      return 'no answer in time (CDS_FHIR_TIMEOUT_MS per request, CDS_FHIR_DEADLINE_MS in all)';
    case 'network':
      return 'a network error (the host could not be reached)';
    case 'too-large':
      return 'the answer is larger than BODY_LIMIT';
    case 'bad-body':
      return 'the answer is not a FHIR resource or Bundle';
    case 'too-many-pages':
      return 'more pages than CDS_FHIR_MAX_PAGES';
    case 'redirect':
      return 'a redirect to another origin (not followed)';
    case 'foreign-link':
      return 'a next link to another origin (not followed)';
    default:
      return undefined;
  }
}

function why(error: DataUnavailableError): string {
  const host = error.host ?? 'fhirServer';
  switch (error.reason) {
    case 'no-server':
      return 'No fhirServer was given to fetch them from.';
    case 'no-token':
      return 'No fhirAuthorization access token was given to fetch them with.';
    case 'origin-not-allowed':
      return error.host === undefined
        ? 'fhirServer is not an http(s) URL this service may fetch from.'
        : `This service may not fetch from ${host}: the fhirServer origin is not allowed. CDS_FHIR_ALLOWLIST does not list it (without that setting only loopback origins are fetched; link-local and cloud-metadata addresses only when listed exactly).`;
    case 'no-patient':
      return 'Neither the prefetch nor fhirServer gave the Patient.';
    case 'bad-prefetch':
      return `Prefetch key ${error.key ?? '?'} holds neither a FHIR resource, a Bundle nor null.`;
    default: {
      const what = error.key === undefined ? 'data' : error.key;
      return `Fetching ${what} from ${host} failed: ${fetchFailure(error) ?? error.reason}.`;
    }
  }
}

export function unavailableDetail(error: DataUnavailableError): string {
  const missing = error.missingKeys.length > 0 ? `Prefetch keys not provided: ${error.missingKeys.join(', ')}. ` : '';
  return `${missing}${why(error)}`;
}
