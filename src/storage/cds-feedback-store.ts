// CDS Hooks cards and their feedback (migration 010), on the store's own SqlConnection. A card
// is recorded when it is answered, with the service that answered it and the study it is about,
// so feedback can be checked against the service it is sent to (a card of another service, or
// none, → 404) and counted per criterion of the card's study, whichever service issued it.

import type { SqlConnection } from './sql-connection.js';

export interface IssuedCard {
  uuid: string;
  serviceId: string;
  studyId: string;
  /** The ResearchSubject the card was rendered from. */
  subjectId: string;
  status: string;
  /** Criteria the card put in front of the clinician. */
  criteria: string[];
}

export interface CardFeedback {
  card: string;
  outcome: 'accepted' | 'overridden';
  /** ISO instant (UTC). */
  outcomeTimestamp: string;
  reason?: { system?: string; code: string; display?: string };
}

export interface CriterionFeedbackRow {
  criterion: string;
  /** Cards that flagged the criterion. */
  cards: number;
  /** Of those, cards whose latest feedback is accepted / overridden. */
  accepted: number;
  overridden: number;
  reasons: { system?: string; code: string; display?: string; count: number }[];
}

export interface CdsFeedbackStore {
  /** Cards as issued, with the criteria each names; all or none. */
  recordCards(cards: readonly IssuedCard[]): Promise<void>;
  /** All or nothing: returns the uuids that are not cards of this service (and stores nothing then). */
  addFeedback(serviceId: string, items: CardFeedback[]): Promise<{ unknownCards: string[] }>;
  /** Per criterion of the study, over the cards of every service about that study. */
  summary(studyId: string): Promise<CriterionFeedbackRow[]>;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

// The latest feedback per card decides how it counts: a clinician may accept, then override.
const LATEST = `
WITH latest AS (
  SELECT DISTINCT ON (f.card_uuid) f.card_uuid, f.outcome, f.reason_system, f.reason_code, f.reason_display
  FROM cds_feedback f JOIN cds_card c ON c.uuid = f.card_uuid
  WHERE c.study_id = $1
  ORDER BY f.card_uuid, f.outcome_timestamp DESC, f.received_at DESC
)`;

const COUNTS = `${LATEST}
SELECT cc.criterion_id AS criterion,
  count(*)::int AS cards,
  (count(*) FILTER (WHERE l.outcome = 'accepted'))::int AS accepted,
  (count(*) FILTER (WHERE l.outcome = 'overridden'))::int AS overridden
FROM cds_card c
JOIN cds_card_criterion cc ON cc.card_uuid = c.uuid
LEFT JOIN latest l ON l.card_uuid = c.uuid
WHERE c.study_id = $1
GROUP BY cc.criterion_id`;

const REASONS = `${LATEST}
SELECT cc.criterion_id AS criterion, l.reason_system, l.reason_code, max(l.reason_display) AS reason_display,
  count(*)::int AS count
FROM latest l
JOIN cds_card_criterion cc ON cc.card_uuid = l.card_uuid
WHERE l.outcome = 'overridden' AND l.reason_code IS NOT NULL
GROUP BY cc.criterion_id, l.reason_system, l.reason_code
ORDER BY count DESC, l.reason_code`;

export class SqlCdsFeedbackStore implements CdsFeedbackStore {
  constructor(private readonly connection: SqlConnection) {}

  async recordCards(cards: readonly IssuedCard[]): Promise<void> {
    if (cards.length === 0) return;
    // One statement for any number of cards, so atomic without a transaction of its own (it
    // runs for every card answered, a batch at a time under load).
    await this.connection.query(
      `WITH input AS (
         SELECT * FROM jsonb_to_recordset($1::jsonb)
           AS r(uuid uuid, service_id text, study_id text, subject_id text, status text, criteria jsonb)
       ), card AS (
         INSERT INTO cds_card (uuid, service_id, study_id, subject_id, status)
         SELECT uuid, service_id, study_id, subject_id, status FROM input RETURNING uuid
       )
       INSERT INTO cds_card_criterion (card_uuid, criterion_id)
       SELECT card.uuid, c FROM card JOIN input ON input.uuid = card.uuid, jsonb_array_elements_text(input.criteria) AS c
       ON CONFLICT DO NOTHING`,
      [
        JSON.stringify(
          cards.map((card) => ({
            uuid: card.uuid,
            service_id: card.serviceId,
            study_id: card.studyId,
            subject_id: card.subjectId,
            status: card.status,
            criteria: card.criteria,
          })),
        ),
      ],
    );
  }

  async addFeedback(serviceId: string, items: CardFeedback[]): Promise<{ unknownCards: string[] }> {
    const uuids = [...new Set(items.map((i) => i.card.toLowerCase()))];
    // Not a uuid cannot be a card; asking the database would be a cast error.
    const unknown = uuids.filter((u) => !UUID.test(u));
    if (unknown.length > 0) return { unknownCards: unknown };
    return this.connection.transaction(async (tx) => {
      const found = await tx.query<{ uuid: string }>(
        'SELECT uuid::text AS uuid FROM cds_card WHERE uuid = ANY($1::uuid[]) AND service_id = $2',
        [uuids, serviceId],
      );
      const known = new Set(found.rows.map((r) => r.uuid));
      const missing = uuids.filter((u) => !known.has(u));
      if (missing.length > 0) return { unknownCards: missing };
      for (const item of items) {
        await tx.query(
          `INSERT INTO cds_feedback (card_uuid, outcome, outcome_timestamp, reason_system, reason_code, reason_display)
           VALUES ($1::uuid, $2, $3::timestamptz, $4, $5, $6)
           ON CONFLICT DO NOTHING`,
          [item.card, item.outcome, item.outcomeTimestamp, item.reason?.system ?? null, item.reason?.code ?? null, item.reason?.display ?? null],
        );
      }
      return { unknownCards: [] };
    });
  }

  async summary(studyId: string): Promise<CriterionFeedbackRow[]> {
    const counts = await this.connection.query<{ criterion: string; cards: number; accepted: number; overridden: number }>(COUNTS, [studyId]);
    const reasons = await this.connection.query<{
      criterion: string;
      reason_system: string | null;
      reason_code: string;
      reason_display: string | null;
      count: number;
    }>(REASONS, [studyId]);
    return counts.rows.map((row) => ({
      criterion: row.criterion,
      cards: row.cards,
      accepted: row.accepted,
      overridden: row.overridden,
      reasons: reasons.rows
        .filter((r) => r.criterion === row.criterion)
        .map((r) => ({
          ...(r.reason_system ? { system: r.reason_system } : {}),
          code: r.reason_code,
          ...(r.reason_display ? { display: r.reason_display } : {}),
          count: r.count,
        })),
    }));
  }
}
