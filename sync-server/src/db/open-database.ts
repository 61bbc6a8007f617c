// Opens the one SQLite database (better-sqlite3, WAL) with drizzle on top and applies the
// committed migrations before anything else touches it. Owns connection pragmas only;
// queries live with the code that needs them.
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import Database from 'better-sqlite3';
import type { Database as SqliteDatabase } from 'better-sqlite3';
import { drizzle } from 'drizzle-orm/better-sqlite3';
import type { BetterSQLite3Database } from 'drizzle-orm/better-sqlite3';
import { migrate } from 'drizzle-orm/better-sqlite3/migrator';
import * as schema from './schema.js';

export type AppDatabase = BetterSQLite3Database<typeof schema>;

export interface OpenDatabase {
  sqlite: SqliteDatabase;
  db: AppDatabase;
  /** absolute path of the database file */
  file: string;
  close(): void;
}

// Both src/db/open-database.ts and dist/db/open-database.js sit two levels below the
// package root, so the committed migrations resolve the same way from either.
const MIGRATIONS_DIR = fileURLToPath(new URL('../../src/db/migrations', import.meta.url));

export const DATABASE_FILE_NAME = 'canopy.sqlite';

export function openDatabase(options: { dataDir: string; fileName?: string }): OpenDatabase {
  mkdirSync(options.dataDir, { recursive: true });
  const file = path.join(options.dataDir, options.fileName ?? DATABASE_FILE_NAME);
  const sqlite = new Database(file);
  try {
    sqlite.pragma('journal_mode = WAL');
    // NORMAL is durable against process crashes in WAL mode (only an OS crash or power
    // loss can drop the last transactions), at a fraction of FULL's fsync cost.
    sqlite.pragma('synchronous = NORMAL');
    sqlite.pragma('foreign_keys = ON');
    sqlite.pragma('busy_timeout = 5000');
    const db = drizzle(sqlite, { schema });
    migrate(db, { migrationsFolder: MIGRATIONS_DIR });
    let closed = false;
    return {
      sqlite,
      db,
      file,
      close() {
        if (closed) return;
        closed = true;
        sqlite.close();
      },
    };
  } catch (err) {
    sqlite.close();
    throw new Error(`could not open the database at ${file}`, { cause: err });
  }
}
