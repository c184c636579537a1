import type { Database, Statement } from 'better-sqlite3';
import { storedSilence } from '../memory/notify-record.ts';
import type { Silence } from '../store.ts';
import { rowToSilence, silenceToRow, type SilenceRow } from './notify-rows.ts';

const COLUMNS = 'id, matchers, created_by, comment, starts_at, ends_at, expire_on_resolve, created_at, expired_at';
const ORDER = ' ORDER BY created_at DESC, id';

/** The silences table's statements (named parameters; the D1 store rewrites them to `?N`). */
export const SILENCE_SQL = {
  /** Insert a silence; a reused id fails (UNIQUE). */
  insert: `INSERT INTO silences (${COLUMNS}) VALUES (@id, @matchers, @created_by, @comment, @starts_at, @ends_at, @expire_on_resolve, @created_at, @expired_at)`,
  /** Every silence, newest first. */
  selectAll: `SELECT ${COLUMNS} FROM silences${ORDER}`,
  /** In force at @at: started, not ended, not expired by then (the same test as the memory store's silenceInForce). */
  selectActive: `SELECT ${COLUMNS} FROM silences WHERE ends_at > @at AND starts_at <= @at AND (expired_at IS NULL OR expired_at > @at)${ORDER}`,
  /** End a silence early unless unknown, already expired or already ended (changes 1: it did). */
  expire: 'UPDATE silences SET expired_at = @at WHERE id = @id AND expired_at IS NULL AND ends_at > @at',
} as const;

/** The silences table of one connection: add, list (all, or in force at a time), expire early. */
export class SqliteSilenceTable {
  private readonly insert: Statement<[SilenceRow]>;
  private readonly selectAll: Statement<[], SilenceRow>;
  private readonly selectActive: Statement<[{ at: string }], SilenceRow>;
  private readonly expire: Statement<[{ id: string; at: string }]>;

  /** Prepares the statements (the 0003 migration must have run). */
  constructor(db: Database) {
    this.insert = db.prepare(SILENCE_SQL.insert);
    this.selectAll = db.prepare(SILENCE_SQL.selectAll);
    this.selectActive = db.prepare(SILENCE_SQL.selectActive);
    this.expire = db.prepare(SILENCE_SQL.expire);
  }

  /** Insert a silence; a reused id fails (UNIQUE). */
  add(silence: Silence): void {
    this.insert.run(silenceToRow(storedSilence(silence)));
  }

  /** Every silence, or those in force at `activeAt`; newest createdAt first. */
  list(activeAt: string | undefined): Silence[] {
    const rows = activeAt === undefined ? this.selectAll.all() : this.selectActive.all({ at: activeAt });
    return rows.map(rowToSilence);
  }

  /** Set expiredAt = at unless the silence is unknown, already expired or already ended; says whether it did. */
  expireAt(id: string, at: string): boolean {
    return this.expire.run({ id, at }).changes === 1;
  }
}
