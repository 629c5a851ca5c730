// The audit trail's table (migration 020) on the store's SqlConnection. Rows are only ever
// inserted; searches page newest first.

import { randomUUID } from 'node:crypto';
import type { SqlConnection } from '../storage/sql-connection.js';
import { instantText } from '../storage/sql-instant.js';

export type AuditSubtype = 'screen' | 'screen-ndjson' | 'cds-call' | 'worklist-search' | 'worklist-read' | 'audit-read';
export const AUDIT_SUBTYPES: readonly AuditSubtype[] = ['screen', 'screen-ndjson', 'cds-call', 'worklist-search', 'worklist-read', 'audit-read'];

export interface AuditRecord {
  subtype: AuditSubtype;
  action: 'C' | 'R' | 'U' | 'D' | 'E';
  outcome: '0' | '4' | '8' | '12';
  httpStatus: number;
  agentKind: string;
  agentId: string;
  address?: string | undefined;
  patientRefs: string[];
  target?: string | undefined;
  requestId: string;
  line?: number | undefined;
}

export interface StoredAudit extends AuditRecord {
  id: string;
  /** ISO instant, UTC, milliseconds. */
  recorded: string;
}

export interface AuditQuery {
  patient?: string;
  subtype?: string[];
  agent?: string;
  /** Only rows whose target is one of these (a study-limited auditor's studies and their CDS services). */
  targets?: readonly string[];
  /** recorded >= since (ISO instant). */
  since?: string;
  /** recorded < before (ISO instant). */
  before?: string;
  count: number;
  offset: number;
}

export interface AuditStore {
  record(records: readonly AuditRecord[]): Promise<void>;
  search(query: AuditQuery): Promise<{ total: number; items: StoredAudit[] }>;
  get(id: string): Promise<StoredAudit | undefined>;
}

interface AuditRow {
  id: string;
  recorded: string;
  subtype: AuditSubtype;
  action: AuditRecord['action'];
  outcome: AuditRecord['outcome'];
  http_status: number;
  agent_kind: string;
  agent_id: string;
  address: string | null;
  patient_refs: string[];
  target: string | null;
  request_id: string;
  line: number | null;
}

const COLUMNS = `id::text AS id,
  ${instantText('recorded')} AS recorded,
  subtype, action, outcome, http_status, agent_kind, agent_id, address, patient_refs, target, request_id, line`;

const COLUMN_COUNT = 12;
const INSERT_CHUNK = 500;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export class SqlAuditStore implements AuditStore {
  constructor(private readonly connection: SqlConnection) {}

  async record(records: readonly AuditRecord[]): Promise<void> {
    for (let start = 0; start < records.length; start += INSERT_CHUNK) {
      const chunk = records.slice(start, start + INSERT_CHUNK);
      const params: unknown[] = [];
      const rows = chunk.map((r, i) => {
        params.push(randomUUID(), r.subtype, r.action, r.outcome, r.httpStatus, r.agentKind, r.agentId, r.address ?? null, r.patientRefs, r.target ?? null, r.requestId, r.line ?? null);
        const p = (k: number) => `$${i * COLUMN_COUNT + k}`;
        // One statement, one now(): rows of a batch share the instant and sort by id.
        return `(${p(1)}::uuid, date_trunc('milliseconds', clock_timestamp()), ${p(2)}, ${p(3)}, ${p(4)}, ${p(5)}::int, ${p(6)}, ${p(7)}, ${p(8)}, ${p(9)}::text[], ${p(10)}, ${p(11)}, ${p(12)}::int)`;
      });
      await this.connection.query(
        `INSERT INTO audit_event (id, recorded, subtype, action, outcome, http_status, agent_kind, agent_id, address, patient_refs, target, request_id, line) VALUES ${rows.join(', ')}`,
        params,
      );
    }
  }

  async search(query: AuditQuery): Promise<{ total: number; items: StoredAudit[] }> {
    const conditions: string[] = [];
    const params: unknown[] = [];
    const add = (sql: (p: string) => string, value: unknown) => {
      params.push(value);
      conditions.push(sql(`$${params.length}`));
    };
    if (query.patient !== undefined) add((p) => `${p}::text = ANY(patient_refs)`, query.patient);
    if (query.subtype !== undefined && query.subtype.length > 0) add((p) => `subtype = ANY(${p}::text[])`, query.subtype);
    if (query.agent !== undefined) add((p) => `agent_id = ${p}`, query.agent);
    if (query.targets !== undefined) add((p) => `target = ANY(${p}::text[])`, query.targets);
    if (query.since !== undefined) add((p) => `recorded >= ${p}::timestamptz`, query.since);
    if (query.before !== undefined) add((p) => `recorded < ${p}::timestamptz`, query.before);
    const where = conditions.length > 0 ? `WHERE ${conditions.join(' AND ')}` : '';
    const counted = await this.connection.query<{ total: number }>(`SELECT count(*)::int AS total FROM audit_event ${where}`, params);
    const total = counted.rows[0]?.total ?? 0;
    if (query.count === 0 || query.offset >= total) return { total, items: [] };
    const page = await this.connection.query<AuditRow>(
      `SELECT ${COLUMNS} FROM audit_event ${where} ORDER BY recorded DESC, id LIMIT $${params.length + 1} OFFSET $${params.length + 2}`,
      [...params, query.count, query.offset],
    );
    return { total, items: page.rows.map(auditOf) };
  }

  async get(id: string): Promise<StoredAudit | undefined> {
    if (!UUID.test(id)) return undefined;
    const result = await this.connection.query<AuditRow>(`SELECT ${COLUMNS} FROM audit_event WHERE id = $1::uuid`, [id]);
    const row = result.rows[0];
    return row === undefined ? undefined : auditOf(row);
  }
}

function auditOf(row: AuditRow): StoredAudit {
  return {
    id: row.id,
    recorded: row.recorded,
    subtype: row.subtype,
    action: row.action,
    outcome: row.outcome,
    httpStatus: row.http_status,
    agentKind: row.agent_kind,
    agentId: row.agent_id,
    address: row.address ?? undefined,
    patientRefs: row.patient_refs ?? [],
    target: row.target ?? undefined,
    requestId: row.request_id,
    line: row.line ?? undefined,
  };
}
