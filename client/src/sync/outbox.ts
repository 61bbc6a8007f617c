// Things made offline that need the HTTP API (creating a group or a DM), persisted in
// IndexedDB so a reload keeps them, and sent strictly in order once the server answers.
// Messages never go through here: they live in the group documents and sync by Yjs.
import { groupIdSchema, groupNameSchema, userIdSchema } from '@canopy/shared';
import type { UserId } from '@canopy/shared';
import { z } from 'zod';
import type { KvStore } from './idb-kv.js';
import { log } from '../log.js';

const logger = log.child('outbox');

export const outboxEntrySchema = z.discriminatedUnion('kind', [
  z.object({
    kind: z.literal('create-group'),
    groupId: groupIdSchema,
    name: groupNameSchema,
    members: z.array(userIdSchema),
    at: z.number(),
  }),
  z.object({
    kind: z.literal('create-dm'),
    /** the local stand-in group the user writes into until the server answers */
    groupId: groupIdSchema,
    userId: userIdSchema,
    at: z.number(),
  }),
]);
export type OutboxEntry = z.infer<typeof outboxEntrySchema>;

/** done: remove it; retry: keep it and stop (no network); drop: remove it, it can never work. */
export type OutboxResult = 'done' | 'retry' | 'drop';

export interface Outbox {
  load(): Promise<OutboxEntry[]>;
  entries(): readonly OutboxEntry[];
  add(entry: OutboxEntry): Promise<void>;
  flush(): Promise<void>;
  onChange(fn: (entries: readonly OutboxEntry[]) => void): () => void;
}

export function makeOutbox(
  kv: KvStore,
  userId: UserId,
  send: (entry: OutboxEntry) => Promise<OutboxResult>,
): Outbox {
  const key = `outbox:${userId}`;
  let entries: OutboxEntry[] = [];
  let flushing: Promise<void> | null = null;
  const listeners = new Set<(e: readonly OutboxEntry[]) => void>();

  const persist = async (): Promise<void> => {
    for (const fn of listeners) fn(entries);
    await kv.set(key, entries);
  };

  const run = async (): Promise<void> => {
    for (;;) {
      const head = entries[0];
      if (!head) return;
      let result: OutboxResult;
      try {
        result = await send(head);
      } catch (err) {
        logger.warn('outbox entry failed; will retry', { kind: head.kind, err: String(err) });
        result = 'retry';
      }
      if (result === 'retry') return;
      if (result === 'drop')
        logger.warn('dropping an outbox entry the server refused', { kind: head.kind });
      entries = entries.slice(1);
      await persist();
    }
  };

  return {
    async load() {
      const raw = await kv.get(key);
      const parsed = z.array(outboxEntrySchema).safeParse(raw ?? []);
      entries = parsed.success ? parsed.data : [];
      if (!parsed.success) logger.warn('stored outbox has an unexpected shape; ignoring it');
      for (const fn of listeners) fn(entries);
      return entries;
    },
    entries: () => entries,
    async add(entry) {
      entries = [...entries, entry];
      await persist();
    },
    flush() {
      // One flush at a time keeps the order; a second call joins the running one.
      flushing ??= run().finally(() => {
        flushing = null;
      });
      return flushing;
    },
    onChange(fn) {
      listeners.add(fn);
      return () => listeners.delete(fn);
    },
  };
}
