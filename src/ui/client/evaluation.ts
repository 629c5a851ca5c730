// Reads the eligibility-evaluation extension of a stored ResearchSubject into plain
// criteria, and sorts them into what a coordinator acts on: decided against (a failing
// criterion), needs data (unknown; EHR data would decide it), needs a person (unknown and
// manual: consent, investigator judgement, a screening-visit test), and met.

export type CriterionGroup = 'against' | 'data' | 'person' | 'met';

export interface MissingData {
  text: string;
  query?: string;
}

export interface CriterionView {
  id: string;
  type: 'inclusion' | 'exclusion';
  result: 'met' | 'not-met' | 'unknown';
  manual: boolean;
  reason?: string;
  evidence: string[];
  missingData: MissingData[];
  clearsOn?: string;
}

export interface SubjectView {
  id: string;
  status: string;
  patientRef: string;
  studyRef: string;
  asOf?: string;
  eligibleFrom?: string;
  criteriaVersion?: string;
  lastUpdated?: string;
  versionId?: string;
  criteria: CriterionView[];
}

interface Extension {
  url?: string;
  extension?: Extension[];
  valueCode?: string;
  valueString?: string;
  valueDate?: string;
  valueBoolean?: boolean;
  valueReference?: { reference?: string };
}

export interface ResearchSubjectJson {
  id?: string;
  status?: string;
  study?: { reference?: string };
  individual?: { reference?: string };
  meta?: { lastUpdated?: string; versionId?: string };
  extension?: Extension[];
}

const EVALUATION = /\/StructureDefinition\/eligibility-evaluation$/;

function criterionOf(parts: Extension[]): CriterionView | undefined {
  const c: Partial<CriterionView> & { evidence: string[]; missingData: MissingData[] } = { evidence: [], missingData: [], manual: false };
  for (const part of parts) {
    switch (part.url) {
      case 'id': c.id = part.valueCode; break;
      case 'type': c.type = part.valueCode as CriterionView['type']; break;
      case 'result': c.result = part.valueCode as CriterionView['result']; break;
      case 'manual': c.manual = part.valueBoolean === true; break;
      case 'reason': c.reason = part.valueString; break;
      case 'evidence': if (part.valueReference?.reference) c.evidence.push(part.valueReference.reference); break;
      case 'missingData': if (part.valueString) c.missingData.push({ text: part.valueString }); break;
      case 'missingDataQuery': {
        const last = c.missingData[c.missingData.length - 1];
        if (last && part.valueString) last.query = part.valueString;
        break;
      }
      case 'clearsOn': c.clearsOn = part.valueDate; break;
      default: break;
    }
  }
  return c.id && c.type && c.result ? (c as CriterionView) : undefined;
}

export function readSubject(resource: ResearchSubjectJson): SubjectView {
  const view: SubjectView = {
    id: resource.id ?? '',
    status: resource.status ?? '',
    patientRef: resource.individual?.reference ?? '',
    studyRef: resource.study?.reference ?? '',
    criteria: [],
  };
  if (resource.meta?.lastUpdated) view.lastUpdated = resource.meta.lastUpdated;
  if (resource.meta?.versionId) view.versionId = resource.meta.versionId;
  const evaluation = (resource.extension ?? []).find((e) => EVALUATION.test(e.url ?? ''));
  for (const part of evaluation?.extension ?? []) {
    if (part.url === 'asOf' && part.valueDate) view.asOf = part.valueDate;
    else if (part.url === 'eligibleFrom' && part.valueDate) view.eligibleFrom = part.valueDate;
    else if (part.url === 'criteriaVersion' && part.valueString) view.criteriaVersion = part.valueString;
    else if (part.url === 'criterion') {
      const c = criterionOf(part.extension ?? []);
      if (c) view.criteria.push(c);
    }
  }
  return view;
}

export function fails(c: CriterionView): boolean {
  return c.type === 'inclusion' ? c.result === 'not-met' : c.result === 'met';
}

export function groupOf(c: CriterionView): CriterionGroup {
  if (fails(c)) return 'against';
  if (c.result === 'unknown') return c.manual ? 'person' : 'data';
  return 'met';
}

export const GROUPS: { key: CriterionGroup; title: string }[] = [
  { key: 'against', title: 'Decided against' },
  { key: 'data', title: 'Needs data' },
  { key: 'person', title: 'Needs a person' },
  { key: 'met', title: 'Met' },
];

/** `Patient/abc` → `abc`; a full URL keeps its last path segment. */
export function patientId(reference: string): string {
  const parts = reference.split('/');
  return parts[parts.length - 1] ?? reference;
}

export function patientLink(template: string | undefined, reference: string): string | undefined {
  return template ? template.split('{id}').join(encodeURIComponent(patientId(reference))) : undefined;
}
