// A stored audit row as a FHIR R4 AuditEvent [auditevent]: type `rest`, a RESTful-interaction
// subtype plus our own, the action, when, the outcome, the agent (who asked), the source (this
// service) and the entities (the patients and the study or service). Nothing clinical.

import type { StoredAudit } from './audit-store.js';

const INTERACTION: Record<StoredAudit['subtype'], string> = {
  screen: 'operation',
  'screen-ndjson': 'operation',
  'cds-call': 'operation',
  'worklist-search': 'search-type',
  'worklist-read': 'read',
  'audit-read': 'search-type',
};

export function auditSubtypeSystem(canonicalBase: string): string {
  return `${canonicalBase}/CodeSystem/audit-event-subtype`;
}

export function renderAuditEvent(row: StoredAudit, canonicalBase: string): Record<string, unknown> {
  const requestDetail = [
    { type: 'requestId', valueString: row.requestId },
    ...(row.line !== undefined ? [{ type: 'ndjsonLine', valueString: String(row.line) }] : []),
  ];
  const entity: Record<string, unknown>[] = row.patientRefs.map((reference) => ({
    what: { reference },
    type: { system: 'http://terminology.hl7.org/CodeSystem/audit-entity-type', code: '1', display: 'Person' },
    role: { system: 'http://terminology.hl7.org/CodeSystem/object-role', code: '1', display: 'Patient' },
  }));
  entity.push({
    ...(row.target !== undefined && row.target.startsWith('ResearchStudy/') ? { what: { reference: row.target } } : {}),
    ...(row.target !== undefined && !row.target.startsWith('ResearchStudy/') ? { name: row.target } : {}),
    type: { system: 'http://terminology.hl7.org/CodeSystem/audit-entity-type', code: '2', display: 'System Object' },
    detail: requestDetail,
  });
  return {
    resourceType: 'AuditEvent',
    id: row.id,
    meta: { lastUpdated: row.recorded },
    type: { system: 'http://terminology.hl7.org/CodeSystem/audit-event-type', code: 'rest', display: 'RESTful Operation' },
    subtype: [
      { system: 'http://hl7.org/fhir/restful-interaction', code: INTERACTION[row.subtype] },
      { system: auditSubtypeSystem(canonicalBase), code: row.subtype },
    ],
    action: row.action,
    recorded: row.recorded,
    outcome: row.outcome,
    outcomeDesc: `HTTP ${row.httpStatus}`,
    agent: [
      {
        who: { identifier: { system: `${canonicalBase}/principal/${row.agentKind}`, value: row.agentId } },
        requestor: true,
        ...(row.address !== undefined ? { network: { address: row.address, type: '2' } } : {}),
      },
    ],
    source: {
      observer: { display: 'fhir-prescreen' },
      type: [{ system: 'http://terminology.hl7.org/CodeSystem/security-source-type', code: '4', display: 'Application Server' }],
    },
    entity,
  };
}
