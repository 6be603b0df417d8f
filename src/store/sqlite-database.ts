/**
 * The SQLite connection every part of the SQLite store shares (outbox, claims, leases, keyv), on
 * better-sqlite3. Statements run synchronously on the main thread: a prepared INSERT costs microseconds,
 * where the callback driver paid two trips through libuv's thread pool and the event loop per statement,
 * which capped webhook intake at about 850 events/s with the thread half idle.
 */
import Database from 'better-sqlite3';

export interface SqliteStatements {
  /** Resolves with the number of rows the statement changed. */
  run(sql: string, params?: unknown[]): Promise<number>;
  get<Row>(sql: string, params?: unknown[]): Promise<Row | undefined>;
  all<Row>(sql: string, params?: unknown[]): Promise<Row[]>;
}

export interface SqliteDatabase extends SqliteStatements {
  exec(sql: string): Promise<void>;
  /**
   * Runs `work` between BEGIN IMMEDIATE and COMMIT (ROLLBACK when it throws). IMMEDIATE takes the write
   * lock before the first read, so another process cannot commit between what `work` reads and writes.
   * Statements from other callers wait until the transaction ends (they would otherwise join it).
   */
  transaction<T>(work: (statements: SqliteStatements) => Promise<T>): Promise<T>;
  close(): Promise<void>;
}

/**
 * Opens one connection with a busy timeout (several processes share the file, and writers queue rather
 * than fail with SQLITE_BUSY) and WAL, so readers never block the single writer.
 */
export async function openSqliteDatabase(file: string, busyTimeoutMs: number): Promise<SqliteDatabase> {
  const raw = new Database(file, { timeout: busyTimeoutMs });
  try {
    raw.pragma('journal_mode = WAL');
    // With WAL, NORMAL syncs at checkpoints rather than on every commit: a crashed process loses nothing,
    // a power cut may lose the last commits. Commits stop waiting for the disk.
    raw.pragma('synchronous = NORMAL');
  } catch (error) {
    raw.close();
    throw error;
  }
  return toSqliteDatabase(raw);
}

/**
 * A transaction belongs to the connection, not to the caller: any statement sent while one is open would
 * join it (and be rolled back with it). A transaction's work may await, so callers that come while one is
 * open queue behind it; when none is open a statement runs at once, with no queue to pass through.
 */
function toSqliteDatabase(raw: Database.Database): SqliteDatabase {
  const statements = toStatements(raw);
  let queue: Promise<unknown> | undefined;
  let queued = 0;

  const inTurn = <T>(work: () => T | Promise<T>): Promise<T> => {
    if (!queue) {
      try {
        return Promise.resolve(work());
      } catch (error) {
        return Promise.reject(error);
      }
    }
    return enqueue(work);
  };
  const enqueue = <T>(work: () => T | Promise<T>): Promise<T> => {
    queued += 1;
    const result = (queue ?? Promise.resolve()).then(work);
    const settled = result.then(
      () => undefined,
      () => undefined,
    );
    queue = settled;
    void settled.then(() => {
      queued -= 1;
      if (queued === 0) queue = undefined;
    });
    return result;
  };

  return {
    run: (sql, params) => inTurn(() => statements.runNow(sql, params)),
    get: <Row>(sql: string, params?: unknown[]) => inTurn(() => statements.getNow<Row>(sql, params)),
    all: <Row>(sql: string, params?: unknown[]) => inTurn(() => statements.allNow<Row>(sql, params)),
    exec: (sql) => inTurn(() => void raw.exec(sql)),
    transaction: (work) =>
      enqueue(async () => {
        raw.exec('BEGIN IMMEDIATE');
        try {
          const result = await work(statements);
          raw.exec('COMMIT');
          return result;
        } catch (error) {
          if (raw.inTransaction) raw.exec('ROLLBACK');
          throw error;
        }
      }),
    close: () => enqueue(() => void raw.close()),
  };
}

type Statement = Database.Statement<unknown[]>;

/** Prepared once per SQL text; `?N` parameters are bound by number, plain `?` by position. */
function toStatements(raw: Database.Database) {
  const prepared = new Map<string, { statement: Statement; numbered: boolean }>();
  const prepare = (sql: string) => {
    let entry = prepared.get(sql);
    if (!entry) {
      entry = { statement: raw.prepare(sql), numbered: /\?\d/.test(sql) };
      prepared.set(sql, entry);
    }
    return entry;
  };
  const bind = (sql: string, params: unknown[] = []) => {
    const { statement, numbered } = prepare(sql);
    const values = params.map(toSqliteValue);
    return { statement, args: numbered ? [Object.fromEntries(values.map((value, index) => [index + 1, value]))] : values };
  };
  const runNow = (sql: string, params?: unknown[]): number => {
    const { statement, args } = bind(sql, params);
    // A statement with RETURNING must be stepped to the end for its writes to happen.
    return statement.reader ? statement.all(...args).length : statement.run(...args).changes;
  };
  const getNow = <Row>(sql: string, params?: unknown[]): Row | undefined => {
    const { statement, args } = bind(sql, params);
    return statement.get(...args) as Row | undefined;
  };
  const allNow = <Row>(sql: string, params?: unknown[]): Row[] => {
    const { statement, args } = bind(sql, params);
    return statement.all(...args) as Row[];
  };
  const statements: SqliteStatements = {
    run: async (sql, params) => runNow(sql, params),
    get: async (sql, params) => getNow(sql, params),
    all: async (sql, params) => allNow(sql, params),
  };
  return Object.assign(statements, { runNow, getNow, allNow });
}

/** The callback driver stored booleans as 0/1 and undefined as NULL; better-sqlite3 refuses both. */
function toSqliteValue(value: unknown): unknown {
  if (value === undefined) return null;
  if (typeof value === 'boolean') return value ? 1 : 0;
  return value;
}
