/**
 * The SQLite statements of the event store and outbox (`?N` parameters). Every claim-relevant filter is
 * an index range: (state, not_before) finds due rows without touching done ones, and the partial index
 * on sending rows answers "does this conversation have a live claim" in one probe.
 */
const COLUMNS = 'seq, id, event_id, conversation_key, payload, state, attempts, not_before, created_at, claimed_by, claimed_until, last_error';
/** The same columns for a SELECT over `o`, with a pending row's notBefore as its conversation's pause makes it. */
const selectColumns = (pausedUntil: (key: string) => string) =>
  COLUMNS.replace(
    'not_before',
    `CASE WHEN o.state = 'pending' THEN max(o.not_before, coalesce(${pausedUntil('o.conversation_key')}, o.not_before)) ELSE o.not_before END AS not_before`,
  );

export function toSqliteOutboxSql(prefix: string) {
  const events = `${prefix}_events`;
  const outbox = `${prefix}_outbox`;
  const pauses = `${prefix}_outbox_pauses`;
  /** Pending and sending rows only: done and dead rows pile up until swept and must not slow claims. */
  const active = `${outbox}_active`;
  /**
   * A row's notBefore never ends before its conversation's pause. A pause is one row in the pauses table
   * (deferring never rewrites a conversation's backlog: that cost 34 ms per Retry-After with 10,000 rows
   * waiting); claims check it, reads report max(row, pause), enqueue, retry and replay apply it.
   */
  const pausedUntil = (key: string) => `(SELECT paused_until FROM ${pauses} p WHERE p.conversation_key = ${key})`;
  return {
    createTables: `
      CREATE TABLE IF NOT EXISTS ${events} (
        id TEXT PRIMARY KEY, dedupe_key TEXT NOT NULL UNIQUE, kind TEXT NOT NULL, body TEXT NOT NULL, received_at INTEGER NOT NULL);
      CREATE TABLE IF NOT EXISTS ${outbox} (
        seq INTEGER PRIMARY KEY, id TEXT NOT NULL UNIQUE, event_id TEXT NOT NULL, conversation_key TEXT NOT NULL,
        payload TEXT NOT NULL, state TEXT NOT NULL, attempts INTEGER NOT NULL, not_before INTEGER NOT NULL,
        created_at INTEGER NOT NULL, claimed_by TEXT, claimed_until INTEGER, last_error TEXT);
      CREATE INDEX IF NOT EXISTS ${outbox}_due ON ${outbox} (state, not_before);
      DROP INDEX IF EXISTS ${outbox}_conversation;
      CREATE INDEX IF NOT EXISTS ${outbox}_sending ON ${outbox} (conversation_key, claimed_until) WHERE state = 'sending';
      CREATE INDEX IF NOT EXISTS ${outbox}_active ON ${outbox} (conversation_key, created_at, seq) WHERE state IN ('pending', 'sending');
      CREATE TABLE IF NOT EXISTS ${pauses} (conversation_key TEXT PRIMARY KEY, paused_until INTEGER NOT NULL);`,
    // A dedupe key already stored inserts nothing; RETURNING says whether the event was stored.
    insertEvent: `
      INSERT INTO ${events} (id, dedupe_key, kind, body, received_at) VALUES (?1, ?2, ?3, ?4, ?5)
      ON CONFLICT (dedupe_key) DO NOTHING
      RETURNING id`,
    // ?1 id, ?2 event id, ?3 conversation, ?4 payload, ?5 created at.
    insertRow: `
      INSERT INTO ${outbox} (id, event_id, conversation_key, payload, state, attempts, not_before, created_at)
      VALUES (?1, ?2, ?3, ?4, 'pending', 0, max(?5, coalesce(${pausedUntil('?3')}, ?5)), ?5)`,
    // ?1 now. One probe of the due index: most claims find nothing to do, and the claim itself costs a
    // write lock and a commit.
    anyDue: `SELECT 1 AS due FROM ${outbox} WHERE state IN ('pending', 'sending') AND not_before <= ?1 LIMIT 1`,
    getEvent: `SELECT id, dedupe_key, kind, body, received_at FROM ${events} WHERE id = ?1`,
    // ?1 now, ?2 owner, ?3 claimed until, ?4 limit. Costs in proportion to the conversations with pending
    // rows, not to the backlog: `conversations` hops from one conversation key to the next through the
    // index of pending and sending rows (a skip scan), and `heads` takes each free conversation's oldest
    // due row from the same index. (INDEXED BY: the planner would otherwise walk every due row.)
    claim: `
      UPDATE ${outbox} SET state = 'sending', claimed_by = ?2, claimed_until = ?3, attempts = attempts + 1,
        not_before = CASE WHEN state = 'pending' THEN max(not_before, coalesce(${pausedUntil(`${outbox}.conversation_key`)}, not_before)) ELSE not_before END
      WHERE seq IN (
        WITH RECURSIVE conversations(key) AS (
          SELECT (SELECT conversation_key FROM ${outbox} INDEXED BY ${active} WHERE state IN ('pending', 'sending') ORDER BY conversation_key LIMIT 1)
          UNION ALL
          SELECT (SELECT a.conversation_key FROM ${outbox} a INDEXED BY ${active}
                  WHERE a.state IN ('pending', 'sending') AND a.conversation_key > c.key ORDER BY a.conversation_key LIMIT 1)
          FROM conversations c WHERE c.key IS NOT NULL),
        heads AS (
          SELECT (SELECT h.seq FROM ${outbox} h INDEXED BY ${active}
                  WHERE h.conversation_key = c.key AND h.state IN ('pending', 'sending') AND h.not_before <= ?1
                    AND (h.state = 'pending' OR h.claimed_until <= ?1)
                  ORDER BY h.created_at, h.seq LIMIT 1) AS seq
          FROM conversations c
          WHERE c.key IS NOT NULL
            AND NOT EXISTS (SELECT 1 FROM ${outbox} s WHERE s.conversation_key = c.key AND s.state = 'sending' AND s.claimed_until > ?1)
            AND coalesce(${pausedUntil('c.key')}, ?1) <= ?1)
        SELECT o.seq FROM heads JOIN ${outbox} o ON o.seq = heads.seq ORDER BY o.created_at, o.seq LIMIT ?4)
      RETURNING ${COLUMNS}`,
    // ?1 conversation, ?2 owner, ?3 now, ?4 claimed until, ?5 minimum, ?6 limit: only under the owner's live
    // claim in that conversation, and only when at least ?5 rows are due (one statement: one write lock).
    claimMore: `
      UPDATE ${outbox} SET state = 'sending', claimed_by = ?2, claimed_until = ?4, attempts = attempts + 1,
        not_before = max(not_before, coalesce(${pausedUntil('?1')}, not_before))
      WHERE coalesce(${pausedUntil('?1')}, ?3) <= ?3 AND seq IN (
        SELECT seq FROM ${outbox} INDEXED BY ${active} WHERE conversation_key = ?1 AND state IN ('pending', 'sending') AND state = 'pending'
          AND not_before <= ?3 ORDER BY created_at, seq LIMIT ?6)
        AND EXISTS (SELECT 1 FROM ${outbox} s WHERE s.conversation_key = ?1 AND s.state = 'sending' AND s.claimed_by = ?2 AND s.claimed_until > ?3)
        AND (SELECT count(*) FROM (SELECT 1 FROM ${outbox} INDEXED BY ${active}
                                   WHERE conversation_key = ?1 AND state IN ('pending', 'sending') AND state = 'pending' AND not_before <= ?3 LIMIT ?5)) >= ?5
      RETURNING ${COLUMNS}`,
    complete: `
      UPDATE ${outbox} SET state = 'done', claimed_by = NULL, claimed_until = NULL
      WHERE id = ?1 AND state = 'sending' AND claimed_by = ?2`,
    retryLater: `
      UPDATE ${outbox} SET state = 'pending', claimed_by = NULL, claimed_until = NULL, last_error = ?4,
        not_before = max(?3, coalesce(${pausedUntil(`${outbox}.conversation_key`)}, ?3))
      WHERE id = ?1 AND state = 'sending' AND claimed_by = ?2`,
    markDead: `
      UPDATE ${outbox} SET state = 'dead', claimed_by = NULL, claimed_until = NULL, last_error = ?3
      WHERE id = ?1 AND state = 'sending' AND claimed_by = ?2`,
    pause: `
      INSERT INTO ${pauses} (conversation_key, paused_until) VALUES (?1, ?2)
      ON CONFLICT (conversation_key) DO UPDATE SET paused_until = max(paused_until, excluded.paused_until)`,
    drop: `
      UPDATE ${outbox} INDEXED BY ${active} SET state = 'dead', last_error = ?2,
        not_before = max(not_before, coalesce(${pausedUntil('?1')}, not_before))
      WHERE conversation_key = ?1 AND state IN ('pending', 'sending') AND state = 'pending'`,
    listDead: `SELECT ${selectColumns(pausedUntil)} FROM ${outbox} o WHERE o.state = 'dead' ORDER BY o.created_at, o.seq LIMIT ?1`,
    // ?1: a JSON array of ids, or NULL for every dead row.
    replayDead: `
      UPDATE ${outbox} SET state = 'pending', attempts = 0,
        not_before = max(not_before, coalesce(${pausedUntil(`${outbox}.conversation_key`)}, not_before))
      WHERE state = 'dead' AND (?1 IS NULL OR id IN (SELECT value FROM json_each(?1)))`,
    counts: `SELECT state, count(*) AS count FROM ${outbox} GROUP BY state`,
    // For operators and tests: reads the whole table (no index keeps done and dead rows by conversation).
    listConversation: `SELECT ${selectColumns(pausedUntil)} FROM ${outbox} o WHERE o.conversation_key = ?1 ORDER BY o.created_at, o.seq`,
    sweepDone: `DELETE FROM ${outbox} WHERE state = 'done' AND created_at < ?1`,
    sweepPauses: `DELETE FROM ${pauses} WHERE paused_until < ?1`,
  };
}
