/**
 * The PostgreSQL statements of the event store and outbox (`$N` parameters). Same tables, indexes and
 * rules as the SQLite backend; the claim differs because PostgreSQL runs writers concurrently.
 */
const COLUMNS = 'seq, id, event_id, conversation_key, payload, state, attempts, not_before, created_at, claimed_by, claimed_until, last_error';

export function toPostgresOutboxSql(prefix: string) {
  const events = `${prefix}_events`;
  const outbox = `${prefix}_outbox`;
  const pauses = `${prefix}_outbox_pauses`;
  const pausedUntil = (key: string) => `(SELECT paused_until FROM ${pauses} p WHERE p.conversation_key = ${key})`;
  /** Due at `now`: pending, or sent under a claim that ran out; never before notBefore. */
  const due = (now: string) =>
    `o.state IN ('pending', 'sending') AND o.not_before <= ${now} AND (o.state = 'pending' OR o.claimed_until <= ${now})`;
  /** The conversation has no live claim and no pause running at `now`. */
  const free = (key: string, now: string) => `
    NOT EXISTS (SELECT 1 FROM ${outbox} s WHERE s.conversation_key = ${key} AND s.state = 'sending' AND s.claimed_until > ${now})
    AND COALESCE(${pausedUntil(key)}, ${now}) <= ${now}`;
  return {
    createTables: `
      CREATE TABLE IF NOT EXISTS ${events} (
        id TEXT PRIMARY KEY, dedupe_key TEXT NOT NULL UNIQUE, kind TEXT NOT NULL, body TEXT NOT NULL, received_at BIGINT NOT NULL);
      CREATE TABLE IF NOT EXISTS ${outbox} (
        seq BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY, id TEXT NOT NULL UNIQUE, event_id TEXT NOT NULL,
        conversation_key TEXT NOT NULL, payload TEXT NOT NULL, state TEXT NOT NULL, attempts INTEGER NOT NULL,
        not_before BIGINT NOT NULL, created_at BIGINT NOT NULL, claimed_by TEXT, claimed_until BIGINT, last_error TEXT);
      CREATE INDEX IF NOT EXISTS ${outbox}_due ON ${outbox} (state, not_before);
      CREATE INDEX IF NOT EXISTS ${outbox}_conversation ON ${outbox} (conversation_key, created_at);
      CREATE INDEX IF NOT EXISTS ${outbox}_sending ON ${outbox} (conversation_key, claimed_until) WHERE state = 'sending';
      -- A conversation's oldest open row without stepping over its week of done rows (claim step 2).
      CREATE INDEX IF NOT EXISTS ${outbox}_open ON ${outbox} (conversation_key, created_at, seq) WHERE state IN ('pending', 'sending');
      CREATE TABLE IF NOT EXISTS ${pauses} (conversation_key TEXT PRIMARY KEY, paused_until BIGINT NOT NULL);`,
    insertEvent: `
      INSERT INTO ${events} (id, dedupe_key, kind, body, received_at) VALUES ($1, $2, $3, $4, $5)
      ON CONFLICT (dedupe_key) DO NOTHING RETURNING id`,
    // $1 event id, $2/$3/$4 parallel arrays of message ids, conversation keys and payloads, $5 receivedAt.
    insertRows: `
      INSERT INTO ${outbox} (id, event_id, conversation_key, payload, state, attempts, not_before, created_at)
      SELECT m.id, $1, m.conversation_key, m.payload, 'pending', 0, GREATEST($5, COALESCE(p.paused_until, $5)), $5
      FROM unnest($2::text[], $3::text[], $4::text[]) WITH ORDINALITY AS m(id, conversation_key, payload, n)
      LEFT JOIN ${pauses} p ON p.conversation_key = m.conversation_key
      ORDER BY m.n`,
    getEvent: `SELECT id, dedupe_key, kind, body, received_at FROM ${events} WHERE id = $1`,
    // Step 1 of a claim, $1 now, $2 limit, $3 lock namespace: the free conversations with a due row, oldest
    // head first, each locked with a transaction-scoped advisory lock; one held elsewhere is skipped.
    lockConversations: `
      WITH heads AS MATERIALIZED (
        SELECT h.conversation_key FROM (
          SELECT DISTINCT ON (o.conversation_key) o.conversation_key, o.created_at, o.seq
          FROM ${outbox} o WHERE ${due('$1')} AND ${free('o.conversation_key', '$1')}
          ORDER BY o.conversation_key, o.created_at, o.seq) h
        ORDER BY h.created_at, h.seq)
      SELECT conversation_key FROM heads WHERE pg_try_advisory_xact_lock(hashtext($3), hashtext(conversation_key)) LIMIT $2`,
    // Step 2, $1 locked keys, $2 now, $3 owner, $4 claimed until: a new statement, so a new snapshot that
    // sees every claim committed before the locks were granted; all conditions are checked again.
    claimRows: `
      WITH picked AS (
        SELECT r.seq FROM unnest($1::text[]) AS k(conversation_key)
        CROSS JOIN LATERAL (
          SELECT o.seq FROM ${outbox} o
          WHERE o.conversation_key = k.conversation_key AND ${due('$2')} AND ${free('k.conversation_key', '$2')}
          ORDER BY o.created_at, o.seq LIMIT 1
          FOR UPDATE OF o SKIP LOCKED) r)
      UPDATE ${outbox} o SET state = 'sending', claimed_by = $3, claimed_until = $4, attempts = o.attempts + 1
      FROM picked WHERE o.seq = picked.seq
      RETURNING ${COLUMNS.split(', ').map((column) => `o.${column}`).join(', ')}`,
    // $1 conversation, $2 owner, $3 now, $4 claimed until, $5 minimum, $6 limit: only under the owner's live
    // claim there (which keeps every other claimer out of this conversation) and with at least $5 rows due.
    claimMore: `
      WITH due_rows AS (
        SELECT seq FROM ${outbox} WHERE conversation_key = $1 AND state = 'pending' AND not_before <= $3
        ORDER BY created_at, seq LIMIT $6 FOR UPDATE SKIP LOCKED)
      UPDATE ${outbox} o SET state = 'sending', claimed_by = $2, claimed_until = $4, attempts = o.attempts + 1
      FROM due_rows WHERE o.seq = due_rows.seq
        AND EXISTS (SELECT 1 FROM ${outbox} s WHERE s.conversation_key = $1 AND s.state = 'sending' AND s.claimed_by = $2 AND s.claimed_until > $3)
        AND (SELECT count(*) FROM due_rows) >= $5
      RETURNING ${COLUMNS.split(', ').map((column) => `o.${column}`).join(', ')}`,
    complete: `
      UPDATE ${outbox} SET state = 'done', claimed_by = NULL, claimed_until = NULL
      WHERE id = $1 AND state = 'sending' AND claimed_by = $2`,
    retryLater: `
      UPDATE ${outbox} o SET state = 'pending', claimed_by = NULL, claimed_until = NULL, last_error = $4,
        not_before = GREATEST($3, COALESCE(${pausedUntil('o.conversation_key')}, $3))
      WHERE id = $1 AND state = 'sending' AND claimed_by = $2`,
    markDead: `
      UPDATE ${outbox} SET state = 'dead', claimed_by = NULL, claimed_until = NULL, last_error = $3
      WHERE id = $1 AND state = 'sending' AND claimed_by = $2`,
    // One statement, so the pause and the pushed rows commit together.
    defer: `
      WITH pause AS (
        INSERT INTO ${pauses} AS p (conversation_key, paused_until) VALUES ($1, $2)
        ON CONFLICT (conversation_key) DO UPDATE SET paused_until = GREATEST(p.paused_until, excluded.paused_until))
      UPDATE ${outbox} SET not_before = $2 WHERE conversation_key = $1 AND state = 'pending' AND not_before < $2`,
    drop: `UPDATE ${outbox} SET state = 'dead', last_error = $2 WHERE conversation_key = $1 AND state = 'pending'`,
    listDead: `SELECT ${COLUMNS} FROM ${outbox} WHERE state = 'dead' ORDER BY created_at, seq LIMIT $1`,
    replayDead: `
      UPDATE ${outbox} o SET state = 'pending', attempts = 0,
        not_before = GREATEST(o.not_before, COALESCE(${pausedUntil('o.conversation_key')}, o.not_before))
      WHERE o.state = 'dead' AND ($1::text[] IS NULL OR o.id = ANY($1::text[]))`,
    counts: `SELECT state, count(*) AS count FROM ${outbox} GROUP BY state`,
    listConversation: `SELECT ${COLUMNS} FROM ${outbox} WHERE conversation_key = $1 ORDER BY created_at, seq`,
    sweepDone: `DELETE FROM ${outbox} WHERE state = 'done' AND created_at < $1`,
    sweepPauses: `DELETE FROM ${pauses} WHERE paused_until < $1`,
  };
}
