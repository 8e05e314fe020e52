import { RUN_COLUMNS } from "./codec";
import { prepared } from "./connect";

/** The store's fixed queries, each a named prepared statement (the filtered lists are built per query). */

const ACTIVE = "('ready', 'waiting', 'acting')";

export const journeySql = {
  get: prepared("SELECT * FROM journeys WHERE id = $1"),
  list: prepared("SELECT * FROM journeys ORDER BY created_at, id"),
  insert: prepared(
    `INSERT INTO journeys (id, name, status, draft, live_version_id, created_at, updated_at)
     VALUES ($1, $2, $3, $4, $5, $6, $7)`,
  ),
  update: prepared(
    "UPDATE journeys SET name = $2, status = $3, draft = $4, live_version_id = $5, updated_at = $6 WHERE id = $1",
  ),
  lockJourney: prepared("SELECT id FROM journeys WHERE id = $1 FOR UPDATE"),
  maxVersion: prepared("SELECT max(version) AS v FROM journey_versions WHERE journey_id = $1"),
  insertVersion: prepared(
    "INSERT INTO journey_versions (journey_id, version, doc, pins, published_at) VALUES ($1, $2, $3, $4, $5) RETURNING *",
  ),
  getVersion: prepared("SELECT * FROM journey_versions WHERE id = $1"),
  listVersions: prepared("SELECT * FROM journey_versions WHERE journey_id = $1 ORDER BY version"),
  setLive: prepared(
    "UPDATE journeys SET live_version_id = $1, status = 'live', updated_at = $2 WHERE id = $3",
  ),
  setStatus: prepared("UPDATE journeys SET status = $1, updated_at = $2 WHERE id = $3"),
  holdRuns: prepared(`UPDATE runs SET held = $1 WHERE journey_id = $2 AND status IN ${ACTIVE}`),
};

export const customerSql = {
  byIds: prepared("SELECT * FROM customers WHERE id = ANY($1::text[])"),
  scan: prepared("SELECT * FROM customers WHERE id > $1 ORDER BY id LIMIT $2"),
  scanIds: prepared("SELECT id FROM customers WHERE id > $1 ORDER BY id LIMIT $2"),
  scanStates: prepared("SELECT id, state FROM customers WHERE id > $1 ORDER BY id LIMIT $2"),
  count: prepared("SELECT count(*) AS n FROM customers"),
};

export const eventSql = {
  knownMessageIds: prepared("SELECT message_id FROM events WHERE message_id = ANY($1::text[])"),
  count: prepared(
    "SELECT count(*) AS n FROM events WHERE customer_id = $1 AND name = $2 AND ts >= $3 AND ts <= $4",
  ),
  list: prepared("SELECT * FROM events WHERE customer_id = $1 ORDER BY ts DESC, seq DESC LIMIT $2"),
  customersActiveIn: prepared(
    "SELECT DISTINCT customer_id FROM events WHERE ts >= $1 AND ts < $2 ORDER BY customer_id LIMIT $3",
  ),
  named: prepared(
    "SELECT * FROM events WHERE name = $1 AND ts >= $2 AND ts < $3 ORDER BY ts DESC, seq DESC LIMIT $4",
  ),
  eventsOf: prepared(
    "SELECT * FROM events WHERE ts >= $1 AND ts < $2 AND customer_id = ANY($3::text[]) ORDER BY ts, seq LIMIT $4",
  ),
};

export const runSql = {
  // A block of run ids (hi/lo): the row lock makes blocks disjoint across processes.
  reserveIds: prepared(
    `INSERT INTO id_blocks (name, next) VALUES ('runs', (SELECT coalesce(max(id), 0) + 1 FROM runs) + $1)
     ON CONFLICT (name) DO UPDATE SET next = id_blocks.next + $1 RETURNING next - $1 AS first`,
  ),
  active: prepared(
    `SELECT ${RUN_COLUMNS} FROM runs WHERE customer_id = ANY($1::text[]) AND status IN ${ACTIVE}`,
  ),
  entries: prepared(
    `SELECT e.* FROM entries e JOIN unnest($1::text[], $2::text[]) AS p(journey_id, customer_id)
       ON e.journey_id = p.journey_id AND e.customer_id = p.customer_id`,
  ),
  // SKIP LOCKED: concurrent workers each take different due runs instead of queueing on the same rows;
  // an expired lease (its holder died) is due again.
  claim: prepared(
    `UPDATE runs SET lease_until = $3, lease_owner = $4 WHERE id IN (
       SELECT id FROM runs WHERE due_at <= $1 AND NOT held AND (lease_until IS NULL OR lease_until < $1)
       ORDER BY due_at LIMIT $2 FOR UPDATE SKIP LOCKED)
     RETURNING ${RUN_COLUMNS}`,
  ),
  nextDue: prepared("SELECT min(due_at) AS due FROM runs WHERE due_at IS NOT NULL AND NOT held"),
  // The claimed runs no commit touched since (every commit that updates a run clears its lease).
  held: prepared(
    `SELECT ${RUN_COLUMNS} FROM runs WHERE id = ANY($1::bigint[]) AND lease_owner = $2 ORDER BY id`,
  ),
  get: prepared(`SELECT ${RUN_COLUMNS} FROM runs WHERE id = $1`),
  count: prepared(
    "SELECT status, node_id, count(*) AS n FROM runs WHERE journey_id = $1 GROUP BY status, node_id",
  ),
  countByStatus: prepared("SELECT status, count(*) AS n FROM runs GROUP BY status"),
};

export const timerSql = {
  // SKIP LOCKED and a lease: a slot is worked by one process; a dead one's slot is claimed again.
  claim: prepared(
    `UPDATE timers SET lease_until = $3 WHERE (kind, key, slot) IN (
       SELECT kind, key, slot FROM timers
       WHERE done_at IS NULL AND due_at <= $1 AND (lease_until IS NULL OR lease_until < $1)
       ORDER BY due_at LIMIT $2 FOR UPDATE SKIP LOCKED)
     RETURNING kind, key, slot, due_at, done_at`,
  ),
  next: prepared("SELECT min(due_at) AS due FROM timers WHERE done_at IS NULL"),
};

export const stepSql = {
  count: prepared(
    "SELECT node_id, outcome, port, reason, count(*) AS n FROM steps WHERE journey_id = $1 GROUP BY node_id, outcome, port, reason",
  ),
  nodeVisits: prepared(
    "SELECT node_id, count(*) AS n FROM (SELECT DISTINCT node_id, run_id, visit FROM steps WHERE journey_id = $1) v GROUP BY node_id",
  ),
  lastId: prepared("SELECT max(id) AS m FROM steps"),
};

const NOT_PAUSED = "journey_id NOT IN (SELECT id FROM journeys WHERE status = 'paused')";
export const outboxSql = {
  countDeliveries: prepared(
    "SELECT count(*) AS n FROM outbox WHERE customer_id = $1 AND created_at >= $2 AND status != 'failed' AND channel = ANY($3::text[])",
  ),
  // Expired leases first, then the earliest due; SKIP LOCKED lets several dispatchers claim side by side.
  // Each branch walks at most $4 rows, skipping full receivers ($5), and the cut keeps each receiver within
  // its free slots ($6, else $7): see claim-lanes.ts. (Window functions cannot sit beside FOR UPDATE, hence
  // the cut in its own step.)
  claim: prepared(
    `WITH expired AS (
       SELECT id, 0 AS k, lease_until AS due, coalesce(receiver, '') AS lane FROM outbox
       WHERE status = 'sending' AND lease_until < $1 AND ${NOT_PAUSED} AND coalesce(receiver, '') <> ALL($5::text[])
       ORDER BY lease_until LIMIT $4 FOR UPDATE SKIP LOCKED),
     due AS (
       SELECT id, 1 AS k, next_attempt_at AS due, coalesce(receiver, '') AS lane FROM outbox
       WHERE status IN ('pending', 'retry') AND next_attempt_at <= $1 AND ${NOT_PAUSED}
         AND coalesce(receiver, '') <> ALL($5::text[])
       ORDER BY next_attempt_at LIMIT $4 FOR UPDATE SKIP LOCKED),
     ranked AS (
       SELECT id, k, due, lane, row_number() OVER (PARTITION BY lane ORDER BY k, due, id) AS rn
       FROM (SELECT * FROM expired UNION ALL SELECT * FROM due) c),
     pick AS (
       SELECT id FROM ranked WHERE rn <= coalesce(($6::jsonb ->> lane)::int, $7) ORDER BY k, due, id LIMIT $2)
     UPDATE outbox SET status = 'sending', attempts = attempts + 1, lease_until = $3
     WHERE id IN (SELECT id FROM pick)
     RETURNING *`,
  ),
  nextDue: prepared(
    `SELECT min(due) AS due FROM (
       SELECT min(next_attempt_at) AS due FROM outbox WHERE status IN ('pending', 'retry') AND ${NOT_PAUSED}
       UNION ALL
       SELECT min(lease_until) FROM outbox WHERE status = 'sending') d`,
  ),
  get: prepared("SELECT * FROM outbox WHERE idempotency_key = $1"),
  countByStatus: prepared("SELECT status, count(*) AS n FROM outbox GROUP BY status"),
  // Deliveries no run waited for that failed for good (an unsubscribe is a skip, not a failure).
  countDetachedFailures: prepared(
    "SELECT count(*) AS n FROM outbox WHERE journey_id = $1 AND status = 'failed' AND NOT resumes_run AND coalesce(error, '') != 'unsubscribed'",
  ),
};

export const consentSql = {
  suppressed: prepared("SELECT channel FROM suppressions WHERE customer_id = $1"),
  suppressedOf: prepared("SELECT customer_id, channel FROM suppressions WHERE customer_id = ANY($1::text[])"),
  add: prepared(
    "INSERT INTO suppressions (customer_id, channel, reason, source, created_at) VALUES ($1, $2, $3, $4, $5) ON CONFLICT DO NOTHING",
  ),
  remove: prepared("DELETE FROM suppressions WHERE customer_id = $1 AND channel = $2"),
  list: prepared("SELECT * FROM suppressions WHERE customer_id = $1 ORDER BY channel"),
};

export const couponSql = {
  createPool: prepared(
    "INSERT INTO coupon_pools (offer, pattern, created_at) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING",
  ),
  poolExists: prepared("SELECT offer FROM coupon_pools WHERE offer = $1"),
  addCodes: prepared(
    "INSERT INTO coupon_codes (offer, code) SELECT $1, c FROM unnest($2::text[]) WITH ORDINALITY AS u(c, n) ORDER BY n ON CONFLICT DO NOTHING",
  ),
  issuedTo: prepared(
    "SELECT code FROM coupon_codes WHERE offer = $1 AND issued_key = $2 AND customer_id = $3",
  ),
  // SKIP LOCKED: two processes issuing at once take different free codes instead of one waiting.
  takeFree: prepared(
    `UPDATE coupon_codes SET issued_key = $1, customer_id = $2, issued_at = $3 WHERE id = (
       SELECT id FROM coupon_codes WHERE offer = $4 AND issued_key IS NULL ORDER BY id LIMIT 1 FOR UPDATE SKIP LOCKED)
     RETURNING code`,
  ),
  poolStats: prepared(
    `SELECT p.offer, p.pattern, p.created_at,
       (SELECT count(*) FROM coupon_codes c WHERE c.offer = p.offer) AS total,
       (SELECT count(*) FROM coupon_codes c WHERE c.offer = p.offer AND c.issued_key IS NOT NULL) AS issued
     FROM coupon_pools p WHERE p.offer = $1`,
  ),
  listPools: prepared("SELECT offer FROM coupon_pools ORDER BY offer"),
};

export const summarySql = {
  getMeta: prepared("SELECT value FROM meta WHERE key = $1"),
  setMeta: prepared(
    "INSERT INTO meta (key, value) VALUES ($1, $2) ON CONFLICT (key) DO UPDATE SET value = excluded.value",
  ),
  signalResponses: prepared(
    `SELECT e.seq, e.customer_id, e.ts, e.properties ->> 'reason' AS reason,
       json_typeof(e.properties -> 'reason') AS reason_type, o.journey_id, o.delivered_at
     FROM events e
     LEFT JOIN outbox o ON o.id = (
       SELECT x.id FROM outbox x
       WHERE x.customer_id = e.customer_id AND x.status = 'sent' AND x.channel IS NOT NULL
         AND x.delivered_at IS NOT NULL AND x.delivered_at >= e.ts
       ORDER BY x.delivered_at, x.id LIMIT 1)
     WHERE e.name = $1 AND e.ts >= $2 AND e.ts < $3
     ORDER BY e.ts, e.seq`,
  ),
  surveyInvitations: prepared(
    `SELECT count(*) AS n FROM outbox WHERE journey_id = $1 AND status = 'sent'
     AND (lower(coalesce(template, '')) LIKE '%survey%'
       OR (payload -> 'config' -> 'surveyUrl') IS NOT NULL AND json_typeof(payload -> 'config' -> 'surveyUrl') != 'null')`,
  ),
  surveyResponses: prepared(
    "SELECT count(*) AS n FROM events WHERE name = $1 AND properties ->> 'journeyId' = $2",
  ),
  ping: prepared("SELECT 1 AS one"),
};

/**
 * Per-customer order across processes: session advisory locks keyed by the customer id's 64-bit hash, taken
 * in ascending key order in one statement (so two transitions with overlapping customers never deadlock)
 * and held on a connection of their own from a transition's first read to after its commit.
 */
export const lockSql = {
  lock: prepared(
    `SELECT count(pg_advisory_lock(k)) AS n FROM (
       SELECT DISTINCT hashtextextended(id, 7177) AS k FROM unnest($1::text[]) AS id ORDER BY k) s`,
  ),
  unlockAll: prepared("SELECT pg_advisory_unlock_all()"),
};
