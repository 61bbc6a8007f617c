// The upload queue: attachments whose bytes still have to reach the server. Entries
// (metadata, one list per user) and their prepared bytes (one key per entry, so rewriting the
// list never copies a Blob) are persisted, survive a reload, and go out in order, one at a
// time. The caller usually wrote the message record already, when the file was attached
// (`pending`); after the upload, `commit` marks it stored, or appends the whole record when
// there was none (no hash at attach time). At most once: `uploaded` is persisted before the
// commit, and the commit checks the document. When the bytes will never come (the server
// refused them, the user removed the entry), `fail` says so. No Solid and no Yjs here: the
// caller injects upload, commit and fail.
import { blobInfoSchema, groupIdSchema, messageIdSchema } from '@canopy/shared';
import type { BlobInfo, GroupId, MessageId, UserId } from '@canopy/shared';
import { z } from 'zod';
import type { KvStore } from './idb-kv.js';
import { log } from '../log.js';

const logger = log.child('upload-queue');

/** Uploads live in their own database: their Blobs stay out of the app's small records. */
export const UPLOADS_DB = 'canopy-uploads';

export const queuedUploadSchema = z.object({
  /** the id the message record will have */
  id: messageIdSchema,
  groupId: groupIdSchema,
  createdAt: z.number(),
  kind: z.enum(['image', 'file']),
  name: z.string(),
  /** the type we claim on upload; the record gets the server's */
  mime: z.string(),
  size: z.number().int().nonnegative(),
  width: z.number().int().positive().optional(),
  height: z.number().int().positive().optional(),
  thumbhash: z.string().optional(),
  labels: z.record(z.string(), z.number()).optional(),
  blurred: z.boolean().optional(),
  /** the server's answer, kept so a commit that has to wait does not upload again */
  uploaded: blobInfoSchema.optional(),
  /** the server's unfinished upload of these bytes, to go on from where it stopped */
  uploadUrl: z.string().max(2048).optional(),
  /** why the server refused it for good; the entry waits for the user to remove it */
  error: z.string().optional(),
});
export type QueuedUpload = z.infer<typeof queuedUploadSchema>;

export type UploadOutcome =
  | { type: 'stored'; blob: BlobInfo }
  /** no answer at all: stop this pass, try again on reconnect */
  | { type: 'offline' }
  /** this group cannot take it now (not registered yet, 5xx, 429): skip the group's rest */
  | { type: 'later' }
  /** the server said no for good (too large, quota, not a member) */
  | { type: 'refused'; reason: string };

const uploadListKey = (userId: UserId): string => `uploads:${userId}`;

/** The stored queue of a user (entries of an unexpected shape are left out). */
export async function readQueuedUploads(kv: KvStore, userId: UserId): Promise<QueuedUpload[]> {
  const raw = await kv.get(uploadListKey(userId));
  const list = Array.isArray(raw) ? raw : [];
  const parsed = list.flatMap((item) => {
    const r = queuedUploadSchema.safeParse(item);
    return r.success ? [r.data] : [];
  });
  if (parsed.length !== list.length) logger.warn('ignoring stored uploads of an unexpected shape');
  return parsed;
}

export interface UploadProgress {
  loaded: number;
  total: number;
}

export interface UploadQueueDeps {
  kv: KvStore;
  userId: UserId;
  upload(
    entry: QueuedUpload,
    body: Blob,
    onProgress: (loaded: number, total: number) => void,
    signal: AbortSignal,
    /** keeps (or, with undefined, forgets) the URL of the upload under way on the server */
    onResumeUrl: (url: string | undefined) => void,
  ): Promise<UploadOutcome>;
  /** Marks the message stored, or appends it; false: cannot now, keep the entry. */
  commit(entry: QueuedUpload, blob: BlobInfo): Promise<boolean>;
  /** The bytes will never come (refused for good, or removed): says so in the document. */
  fail(entry: QueuedUpload): Promise<void>;
}

export interface UploadQueue {
  load(): Promise<readonly QueuedUpload[]>;
  entries(): readonly QueuedUpload[];
  /** The prepared bytes of an entry (for its local preview). */
  body(id: MessageId): Promise<Blob | undefined>;
  add(entry: QueuedUpload, body: Blob): Promise<void>;
  /** Cancels an entry; an upload in flight is aborted and never committed. */
  remove(id: MessageId): Promise<void>;
  /** One pass over the queue; a call during a pass makes it run once more. */
  flush(): Promise<void>;
  progress(id: MessageId): UploadProgress | undefined;
  onChange(fn: () => void): () => void;
}

export function makeUploadQueue(deps: UploadQueueDeps): UploadQueue {
  const { kv } = deps;
  const listKey = uploadListKey(deps.userId);
  const bodyKey = (id: MessageId): string => `upload-body:${deps.userId}:${id}`;
  let entries: QueuedUpload[] = [];
  const progress = new Map<MessageId, UploadProgress>();
  const inFlight = new Map<MessageId, AbortController>();
  const listeners = new Set<() => void>();
  let loading: Promise<readonly QueuedUpload[]> | null = null;
  let running: Promise<void> | null = null;
  let again = false;

  const changed = (): void => {
    for (const fn of listeners) fn();
  };
  const persist = async (): Promise<void> => {
    changed();
    await kv.set(listKey, entries);
  };
  const has = (id: MessageId): boolean => entries.some((e) => e.id === id);
  const update = async (id: MessageId, patch: Partial<QueuedUpload>): Promise<void> => {
    entries = entries.map((e) => (e.id === id ? { ...e, ...patch } : e));
    await persist();
  };
  const drop = async (id: MessageId): Promise<void> => {
    entries = entries.filter((e) => e.id !== id);
    progress.delete(id);
    await persist();
    await kv.delete(bodyKey(id));
  };

  const failSafely = async (entry: QueuedUpload): Promise<void> => {
    try {
      await deps.fail(entry);
    } catch (err) {
      logger.warn('cannot mark an attachment as failed', { err: String(err) });
    }
  };

  const load = (): Promise<readonly QueuedUpload[]> =>
    (loading ??= (async () => {
      const parsed = await readQueuedUploads(kv, deps.userId);
      // Entries added before the load finished stay, after the stored ones.
      entries = [...parsed, ...entries.filter((e) => !parsed.some((p) => p.id === e.id))];
      changed();
      return entries;
    })());

  /** Sends one entry; returns false when the pass must stop (no network). */
  const sendOne = async (entry: QueuedUpload, blocked: Set<GroupId>): Promise<boolean> => {
    let stored = entry.uploaded;
    if (!stored) {
      const body = await kv.get(bodyKey(entry.id));
      if (!(body instanceof Blob)) {
        await update(entry.id, { error: 'The file is no longer on this device.' });
        return true;
      }
      const ctrl = new AbortController();
      inFlight.set(entry.id, ctrl);
      let outcome: UploadOutcome;
      try {
        outcome = await deps.upload(
          entry,
          body,
          (loaded, total) => {
            progress.set(entry.id, { loaded, total });
            changed();
          },
          ctrl.signal,
          (url) => {
            if (has(entry.id)) void update(entry.id, { uploadUrl: url });
          },
        );
      } catch (err) {
        if (ctrl.signal.aborted) return true; // removed by the user meanwhile
        logger.warn('upload failed; will retry', { err: String(err) });
        outcome = { type: 'later' };
      } finally {
        inFlight.delete(entry.id);
      }
      if (!has(entry.id)) return true;
      if (outcome.type === 'offline' || outcome.type === 'later') {
        progress.delete(entry.id);
        changed();
        if (outcome.type === 'later') blocked.add(entry.groupId);
        return outcome.type === 'later';
      }
      if (outcome.type === 'refused') {
        progress.delete(entry.id);
        await update(entry.id, { error: outcome.reason });
        await failSafely(entry);
        return true;
      }
      stored = outcome.blob;
      await update(entry.id, { uploaded: stored });
    }
    const current = entries.find((e) => e.id === entry.id);
    if (!current) return true;
    if (await deps.commit(current, stored)) await drop(entry.id);
    else blocked.add(entry.groupId);
    return true;
  };

  const pass = async (): Promise<void> => {
    const tried = new Set<MessageId>();
    const blocked = new Set<GroupId>();
    for (;;) {
      // Re-read each time: entries may be added or removed while a file uploads. Within a
      // group the order holds: once one entry must wait, the group's later ones wait too.
      // A refused entry never becomes a message, so it holds nothing up.
      const next = entries.find(
        (e) => !tried.has(e.id) && !blocked.has(e.groupId) && e.error === undefined,
      );
      if (!next) return;
      tried.add(next.id);
      if (!(await sendOne(next, blocked))) return;
    }
  };

  return {
    load,
    entries: () => entries,
    async body(id) {
      const b = await kv.get(bodyKey(id));
      return b instanceof Blob ? b : undefined;
    },
    async add(entry, body) {
      await load();
      // The bytes first: an entry in the list always has its body.
      await kv.set(bodyKey(entry.id), body);
      entries = [...entries, entry];
      await persist();
    },
    async remove(id) {
      inFlight.get(id)?.abort();
      const entry = entries.find((e) => e.id === id);
      await drop(id);
      // Stored and committed entries are gone from the list already: this one never will be.
      if (entry) await failSafely(entry);
    },
    flush() {
      if (running) {
        again = true;
        return running;
      }
      running = (async () => {
        await load();
        do {
          again = false;
          await pass();
        } while (again);
      })().finally(() => {
        running = null;
      });
      return running;
    },
    progress: (id) => progress.get(id),
    onChange(fn) {
      listeners.add(fn);
      return () => listeners.delete(fn);
    },
  };
}
