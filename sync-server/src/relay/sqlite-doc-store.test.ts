// WAL checkpoints happen in maintain() (between flushes), not inside the flush's commit:
// commits far past SQLite's default threshold leave the database file as it was, until
// maintain() moves the WAL into it.
import { statSync } from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Database } from 'better-sqlite3';
import { addGroup, addUser, openTestDatabase, tempDir } from './testing/relay-harness.js';
import { createSqliteDocStore } from './sqlite-doc-store.js';
import type { DocStore } from './doc-store.js';

describe('SQLite doc store checkpoints', () => {
  let tmp: ReturnType<typeof tempDir>;
  let file: string;
  let sqlite: Database;
  let store: DocStore;

  beforeEach(() => {
    tmp = tempDir();
    file = path.join(tmp.dir, 'canopy.sqlite');
    sqlite = openTestDatabase(file);
    sqlite.pragma('wal_checkpoint(TRUNCATE)'); // start from an empty WAL
    store = createSqliteDocStore(sqlite);
  });

  afterEach(() => {
    sqlite.close();
    tmp.remove();
  });

  it('checkpoints in maintain(), after ~1,000 pages, never on commit', async () => {
    const groupId = addGroup(sqlite, addUser(sqlite, 'Ana').userId);
    sqlite.pragma('wal_checkpoint(TRUNCATE)');
    const sizeBefore = statSync(file).size;
    const update = new Uint8Array(8 * 1024).fill(7);
    store.maintain?.();
    expect(statSync(file).size).toBe(sizeBefore); // nothing written yet: nothing to do
    // 600 flushes of 8 KB: ~3,000 pages, three times SQLite's default threshold.
    for (let i = 0; i < 600; i++) {
      await store.appendBatch([{ groupId, updates: [update], bindings: [] }], Date.now());
    }
    expect(statSync(file).size).toBe(sizeBefore);
    expect(statSync(`${file}-wal`).size).toBeGreaterThan(600 * update.byteLength);
    store.maintain?.();
    expect(statSync(file).size).toBeGreaterThan(sizeBefore + 600 * update.byteLength);
    // Right after a checkpoint, a few more commits do not ask for another.
    const after = statSync(file).size;
    await store.appendBatch([{ groupId, updates: [update], bindings: [] }], Date.now());
    store.maintain?.();
    expect(statSync(file).size).toBe(after);
  });
});

describe('SQLite doc store commits', () => {
  it('runs `within` inside the commit: its writes and the updates are stored together or not at all', async () => {
    const tmp = tempDir();
    const sqlite = openTestDatabase(path.join(tmp.dir, 'canopy.sqlite'));
    try {
      const store = createSqliteDocStore(sqlite);
      const ana = addUser(sqlite, 'Ana');
      const groupId = addGroup(sqlite, ana.userId);
      sqlite.exec('CREATE TABLE side (n INTEGER)');
      const side = sqlite.prepare('INSERT INTO side (n) VALUES (?)');
      const count = (table: string): number =>
        (sqlite.prepare(`SELECT count(*) AS n FROM ${table}`).get() as { n: number }).n;
      const write = [{ groupId, updates: [new Uint8Array([1, 2, 3])], bindings: [] }];

      await store.appendBatch(write, Date.now(), () => side.run(1));
      expect([count('doc_updates'), count('side')]).toEqual([1, 1]);

      const failing = store.appendBatch(write, Date.now(), () => {
        side.run(2);
        throw new Error('bookkeeping failed');
      });
      await expect(failing).rejects.toThrow('bookkeeping failed');
      expect([count('doc_updates'), count('side')]).toEqual([1, 1]);
    } finally {
      sqlite.close();
      tmp.remove();
    }
  });
});
