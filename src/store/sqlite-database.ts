/**
 * The SQLite connection every part of the SQLite store shares (outbox, claims, leases, keyv), on
 * better-sqlite3. Statements run synchronously on the main thread: a prepared INSERT costs microseconds.
 * What costs is the commit (a WAL append per transaction), so writes are group-committed: every write
 * asked for during one turn of the event loop runs in ONE transaction at the end of that turn, and each
 * caller's promise settles after the commit. Under 50 concurrent webhooks that is one commit for about
 * nine events instead of several commits per event.
 */
import Database from 'better-sqlite3';
import { startCheckpointer, type Checkpointer } from './sqlite-checkpointer.ts';

/** How often the checkpoint thread copies the WAL into the database file. */
const CHECKPOINT_INTERVAL_MS = 250;
/** 8,192 frames of 4 KiB pages: the WAL is started over once it passes about 32 MB. */
const WAL_RESTART_FRAMES = 8_192;

export interface SqliteOpenOptions {
  busyTimeoutMs: number;
  onCheckpointError?: (error: Error) => void;
  /** Tests set a small one to see the WAL start over. */
  walRestartFrames?: number;
}

/** Synchronous statements, for work that runs inside a shared commit. */
export interface SqliteStatements {
  /** The number of rows the statement changed (for RETURNING statements: the rows returned). */
  run(sql: string, params?: unknown[]): number;
  get<Row>(sql: string, params?: unknown[]): Row | undefined;
  all<Row>(sql: string, params?: unknown[]): Row[];
}

export interface SqliteDatabase {
  /** A read runs at once; a write (any statement that is not read-only) joins the next commit. */
  run(sql: string, params?: unknown[]): Promise<number>;
  get<Row>(sql: string, params?: unknown[]): Promise<Row | undefined>;
  all<Row>(sql: string, params?: unknown[]): Promise<Row[]>;
  /**
   * Runs `work` inside the next shared commit, all or nothing: when it throws, its own writes are undone
   * (a savepoint) and only its caller sees the error. Resolves with its result once the commit is done.
   */
  write<T>(work: (statements: SqliteStatements) => T): Promise<T>;
  /** Schema set-up: runs at once, outside any commit. */
  exec(sql: string): Promise<void>;
  /** Commits what is queued, then closes. */
  close(): Promise<void>;
}

/**
 * Opens one connection with a busy timeout (several processes share the file, and writers queue rather
 * than fail with SQLITE_BUSY) and WAL, so readers never block the single writer.
 */
export async function openSqliteDatabase(file: string, options: SqliteOpenOptions): Promise<SqliteDatabase> {
  const { busyTimeoutMs, onCheckpointError = () => undefined } = options;
  const raw = new Database(file, { timeout: busyTimeoutMs });
  let checkpointer: Checkpointer | undefined;
  const reportCheckpointError = (error: unknown) => onCheckpointError(new Error(`SQLite checkpoint: ${error instanceof Error ? error.message : String(error)}`));
  try {
    const wal = raw.pragma('journal_mode = WAL', { simple: true }) === 'wal'; // ':memory:' stays in memory
    // With WAL, NORMAL syncs at checkpoints rather than on every commit: a crashed process loses nothing,
    // a power cut may lose the last commits.
    raw.pragma('synchronous = NORMAL');
    if (wal) {
      raw.pragma('wal_autocheckpoint = 0'); // the checkpoint thread does it (sqlite-checkpointer.ts)
      checkpointer = startCheckpointer(file, {
        intervalMs: CHECKPOINT_INTERVAL_MS,
        busyTimeoutMs,
        restartFrames: options.walRestartFrames ?? WAL_RESTART_FRAMES,
        // Between two commits (they run whole inside one callback), never inside one.
        onLongWal: () =>
          setImmediate(() => {
            if (!raw.open) return;
            try {
              raw.pragma('wal_checkpoint(PASSIVE)');
            } catch (error) {
              reportCheckpointError(error);
            }
          }),
        onError: (message) => reportCheckpointError(new Error(message)),
      });
    }
  } catch (error) {
    raw.close();
    throw error;
  }
  return toSqliteDatabase(raw, checkpointer);
}

interface QueuedWrite {
  work: (statements: SqliteStatements) => unknown;
  resolve(value: unknown): void;
  reject(error: unknown): void;
}

function toSqliteDatabase(raw: Database.Database, checkpointer: Checkpointer | undefined): SqliteDatabase {
  const statements = toStatements(raw);
  const savepoint = raw.prepare('SAVEPOINT queued_write');
  const release = raw.prepare('RELEASE queued_write');
  const rollbackTo = raw.prepare('ROLLBACK TO queued_write');
  let queue: QueuedWrite[] = [];
  let closed = false;

  /** Each write's outcome: its value, or the error it threw (its savepoint rolled back). */
  function runQueued(writes: readonly QueuedWrite[]): Array<{ value?: unknown; error?: unknown }> {
    return writes.map(({ work }) => {
      savepoint.run();
      try {
        const value = work(statements);
        release.run();
        return { value };
      } catch (error) {
        rollbackTo.run();
        release.run();
        return { error };
      }
    });
  }

  function commitQueued(): void {
    const writes = queue;
    queue = [];
    if (writes.length === 0) return;
    let outcomes: Array<{ value?: unknown; error?: unknown }>;
    try {
      raw.exec('BEGIN IMMEDIATE');
      outcomes = runQueued(writes);
      raw.exec('COMMIT');
    } catch (error) {
      // BEGIN (busy past the timeout) or COMMIT failed: nothing of this turn was stored.
      if (raw.inTransaction) raw.exec('ROLLBACK');
      for (const write of writes) write.reject(error);
      return;
    }
    outcomes.forEach((outcome, index) => {
      const write = writes[index] as QueuedWrite;
      if ('error' in outcome) write.reject(outcome.error);
      else write.resolve(outcome.value);
    });
  }

  function write<T>(work: (s: SqliteStatements) => T): Promise<T> {
    if (closed) return Promise.reject(closedError());
    return new Promise<T>((resolve, reject) => {
      if (queue.length === 0) setImmediate(commitQueued);
      queue.push({ work, resolve: resolve as (value: unknown) => void, reject });
    });
  }

  const now = <T>(work: () => T): Promise<T> => {
    try {
      return Promise.resolve(work());
    } catch (error) {
      return Promise.reject(error);
    }
  };
  const readOrWrite = <T>(sql: string, work: (s: SqliteStatements) => T): Promise<T> => {
    if (closed) return Promise.reject(closedError());
    let readOnly: boolean;
    try {
      readOnly = statements.isReadOnly(sql); // prepares it: a syntax error surfaces here
    } catch (error) {
      return Promise.reject(error);
    }
    return readOnly ? now(() => work(statements)) : write(work);
  };

  return {
    run: (sql, params) => readOrWrite(sql, (s) => s.run(sql, params)),
    get: <Row>(sql: string, params?: unknown[]) => readOrWrite(sql, (s) => s.get<Row>(sql, params)),
    all: <Row>(sql: string, params?: unknown[]) => readOrWrite(sql, (s) => s.all<Row>(sql, params)),
    write,
    exec: (sql) => now(() => void raw.exec(sql)),
    async close() {
      if (closed) return;
      commitQueued();
      closed = true;
      raw.close();
      await checkpointer?.stop(); // after the last commit, so its final checkpoint takes everything in
    },
  };
}

const closedError = () => new Error('The SQLite connection is closed.');

type Statement = Database.Statement<unknown[]>;

/** Prepared once per SQL text; `?N` parameters are bound by number, plain `?` by position. */
function toStatements(raw: Database.Database): SqliteStatements & { isReadOnly(sql: string): boolean } {
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
  return {
    isReadOnly: (sql) => prepare(sql).statement.readonly,
    run(sql, params) {
      const { statement, args } = bind(sql, params);
      // A statement with RETURNING must be stepped to the end for all its writes to happen.
      return statement.reader ? statement.all(...args).length : statement.run(...args).changes;
    },
    get<Row>(sql: string, params?: unknown[]) {
      const { statement, args } = bind(sql, params);
      return statement.get(...args) as Row | undefined;
    },
    all<Row>(sql: string, params?: unknown[]) {
      const { statement, args } = bind(sql, params);
      return statement.all(...args) as Row[];
    },
  };
}

/** The callback driver stored booleans as 0/1 and undefined as NULL; better-sqlite3 refuses both. */
function toSqliteValue(value: unknown): unknown {
  if (value === undefined) return null;
  if (typeof value === 'boolean') return value ? 1 : 0;
  return value;
}
