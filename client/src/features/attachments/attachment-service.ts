// Attachments of the signed-in user: the persisted upload queue wired to the blob API and to
// the group documents, plus what the screens show (files being checked, notices for the
// sender, upload progress). One per workspace, shared by the mounted conversation screens:
// createAttachments acquires it and releases it on cleanup. While none is mounted nothing
// uploads or commits (the workspace may be gone after a logout); the queue waits on disk.
/* eslint-disable solid/reactivity -- a state factory: its callbacks run on network and
   IndexedDB events, where reading signals untracked is intended. */
import { batch, createSignal, onCleanup } from 'solid-js';
import type { Accessor } from 'solid-js';
import { appendOwnMessage, groupDoc, makeId, messageRecordSchema } from '@canopy/shared';
import type { BlobInfo, GroupId, MessageId, MessageRecord, UploadRecord } from '@canopy/shared';
import { ErrorCode } from '@canopy/shared';
import { isApiError, isNetworkError } from '../../api/api-error.js';
import { discardUpload, fetchServerConfig, uploadBlob } from '../../api/blob-api.js';
import { warmClassifier } from '../../media/prepare-image.js';
import type { Workspace } from '../../state/workspace.js';
import { useApp } from '../../state/app-context.js';
import type { KvStore } from '../../sync/idb-kv.js';
import { makeUploadQueue } from '../../sync/upload-queue.js';
import type { QueuedUpload, UploadOutcome, UploadProgress } from '../../sync/upload-queue.js';
import { log } from '../../log.js';
import type { GroupSync } from '../../sync/group-sync.js';
import { toMessageRecord, toPendingRecord } from './attachment-fields.js';
import { sha256Hex } from './sha256-hex.js';
import { prepareAttachment } from './prepare-attachment.js';

const logger = log.child('attachments');

const DEFAULT_MAX_UPLOAD_BYTES = 25 * 1024 * 1024;
const RETRY_MS = 10_000;
const MAX_NOTICES = 5;

export interface AttachNotice {
  id: number;
  groupId: GroupId;
  text: string;
}

export interface CheckingFile {
  id: number;
  groupId: GroupId;
  name: string;
  /** Set once the file is being queued: the queue's entry replaces this item. */
  messageId?: MessageId;
}

export interface Attachments {
  /** Queued uploads of this user, all groups, in order. */
  entries: Accessor<readonly QueuedUpload[]>;
  /** The group an entry goes to (a DM made offline may have been replaced by the real one). */
  groupOf(entry: QueuedUpload): GroupId;
  progress(id: MessageId): UploadProgress | undefined;
  checking: Accessor<readonly CheckingFile[]>;
  notices: Accessor<readonly AttachNotice[]>;
  attach(groupId: GroupId, files: readonly File[]): Promise<void>;
  remove(id: MessageId): void;
  dismiss(noticeId: number): void;
  /** The prepared bytes of a queued entry, for its local preview. */
  body(id: MessageId): Promise<Blob | undefined>;
  /** Starts loading the classifier, e.g. when the user reaches for the attach button. */
  warm(): void;
}

interface Service extends Attachments {
  acquire(): void;
  release(): void;
}

const services = new WeakMap<Workspace, Service>();

/** The workspace's attachments, active while the calling component is mounted. */
export function createAttachments(ws: Workspace): Attachments {
  let service = services.get(ws);
  if (!service) {
    service = makeAttachmentService(ws, useApp().uploads);
    services.set(ws, service);
  }
  const s = service;
  s.acquire();
  onCleanup(() => s.release());
  return s;
}

function refusal(err: { code: string; message: string }): string {
  if (err.code === ErrorCode.QUOTA_EXCEEDED) return 'Your storage on this server is full.';
  if (err.code === ErrorCode.PAYLOAD_TOO_LARGE) return 'The server refused it as too large.';
  if (err.code === ErrorCode.FORBIDDEN || err.code === ErrorCode.NOT_FOUND)
    return 'You can no longer post in this conversation.';
  return err.message;
}

function makeAttachmentService(ws: Workspace, kv: KvStore): Service {
  const me = ws.me.id;
  const [entries, setEntries] = createSignal<readonly QueuedUpload[]>([]);
  const [tick, setTick] = createSignal(0);
  const [checking, setChecking] = createSignal<readonly CheckingFile[]>([]);
  const [notices, setNotices] = createSignal<readonly AttachNotice[]>([]);
  const [maxBytes, setMaxBytes] = createSignal(DEFAULT_MAX_UPLOAD_BYTES);
  const bodies = new Map<MessageId, Blob>();
  let refs = 0;
  let seq = 0;
  let chain: Promise<void> = Promise.resolve();
  let retryTimer: ReturnType<typeof setInterval> | undefined;

  const groupOf = (entry: QueuedUpload): GroupId => ws.replaced(entry.groupId) ?? entry.groupId;
  const notify = (groupId: GroupId, text: string): void => {
    const notice = { id: ++seq, groupId, text };
    setNotices((list) => [...list, notice].slice(-MAX_NOTICES));
  };

  const upload = async (
    entry: QueuedUpload,
    body: Blob,
    onProgress: (loaded: number, total: number) => void,
    signal: AbortSignal,
    onResumeUrl: (url: string | undefined) => void,
  ): Promise<UploadOutcome> => {
    if (refs === 0) return { type: 'offline' };
    const groupId = groupOf(entry);
    // A group made offline exists on the server only once the outbox registered it.
    if (ws.isPending(groupId)) return { type: 'later' };
    try {
      const blob = await uploadBlob(groupId, body, {
        name: entry.name,
        mime: entry.mime,
        resumeUrl: entry.uploadUrl ?? null,
        onResumeUrl,
        onProgress,
        signal,
      });
      return { type: 'stored', blob };
    } catch (err) {
      if (isNetworkError(err)) return { type: 'offline' };
      if (!isApiError(err)) throw err;
      // The server's copy and ours disagree on where the upload stands, or the upload we
      // were resuming is gone (expired): start it afresh; a real refusal comes back then.
      const resumed = entry.uploadUrl !== undefined && err.code === ErrorCode.NOT_FOUND;
      if (err.code === ErrorCode.CONFLICT || resumed) {
        onResumeUrl(undefined);
        return { type: 'later' };
      }
      if (err.status >= 500 || err.status === 429 || err.status === 401) return { type: 'later' };
      logger.warn('the server refused an attachment', { status: err.status, code: err.code });
      return { type: 'refused', reason: refusal(err) };
    }
  };

  /** Runs `fn` on the entry's group document once it is loaded locally. */
  const withDoc = async <T>(entry: QueuedUpload, fn: (sync: GroupSync) => T): Promise<T> => {
    const groupId = groupOf(entry);
    const sync = ws.pool.acquire(groupId);
    try {
      await sync.loaded;
      return fn(sync);
    } finally {
      ws.pool.release(sync);
    }
  };

  /** Appends my record (with my read marker), unless the id is there. */
  const appendOnce = ({ doc, mirror }: GroupSync, record: MessageRecord): void => {
    if (mirror.indexOf(record.id) < 0) appendOwnMessage(doc, record);
  };

  /** The record at attach time (`pending`): the message keeps its place in the conversation. */
  const recordPending = (entry: QueuedUpload, sha256: string): Promise<void> => {
    const record = toPendingRecord(entry, sha256, me);
    if (!messageRecordSchema.safeParse(record).success) {
      logger.error('an attachment does not fit the message schema', { groupId: entry.groupId });
      return Promise.resolve();
    }
    return withDoc(entry, (sync) => void appendOnce(sync, record));
  };

  /** The pending record (if any) learns the bytes' fate, once. */
  const settle = (sync: GroupSync, id: MessageId, state: UploadRecord['state']): boolean => {
    const rec = sync.mirror.get(sync.mirror.indexOf(id));
    if (!rec?.attachment?.pending) return false;
    const uploads = groupDoc(sync.doc).uploads;
    if (uploads.get(id)?.state !== state) uploads.set(id, { state, at: Date.now() });
    return true;
  };

  /** After the upload: marks the pending record stored, or appends the whole record once. */
  const commit = async (entry: QueuedUpload, blob: BlobInfo): Promise<boolean> => {
    if (refs === 0) return false;
    const record = toMessageRecord(entry, blob, me);
    if (!messageRecordSchema.safeParse(record).success) {
      logger.error('an uploaded attachment does not fit the message schema', {
        groupId: entry.groupId,
      });
      return false;
    }
    return withDoc(entry, (sync) => {
      if (!settle(sync, entry.id, 'stored')) appendOnce(sync, record);
      return true;
    });
  };

  const fail = (entry: QueuedUpload): Promise<void> => {
    // The server's unfinished upload would hold its size of the quota for a day.
    if (entry.uploadUrl) void discardUpload(entry.uploadUrl);
    return withDoc(entry, (sync) => void settle(sync, entry.id, 'failed'));
  };

  const queue = makeUploadQueue({ kv, userId: me, upload, commit, fail });
  queue.onChange(() => {
    const queued = queue.entries();
    batch(() => {
      setEntries(queued);
      setTick((t) => t + 1);
      // The entry takes the place of the file's "Checking…" item in the same step, so the
      // list never shows the file twice.
      const isQueued = (c: CheckingFile): boolean => queued.some((e) => e.id === c.messageId);
      setChecking((list) => (list.some(isQueued) ? list.filter((c) => !isQueued(c)) : list));
    });
    for (const id of bodies.keys())
      if (!queue.entries().some((e) => e.id === id)) bodies.delete(id);
  });
  const flush = (): void => {
    if (refs > 0) void queue.flush();
  };

  const loadLimits = async (): Promise<void> => {
    const cached = await kv.get('server-config:max-upload-bytes').catch(() => undefined);
    if (typeof cached === 'number' && cached > 0) setMaxBytes(cached);
    try {
      const { uploads } = await fetchServerConfig();
      setMaxBytes(uploads.maxUploadBytes);
      await kv.set('server-config:max-upload-bytes', uploads.maxUploadBytes);
    } catch (err) {
      if (!isNetworkError(err)) logger.warn('cannot read the upload limits', { err: String(err) });
    }
  };

  const attachNow = async (groupId: GroupId, files: readonly File[]): Promise<void> => {
    for (const file of files) {
      const item = { id: ++seq, groupId, name: file.name || 'file' };
      setChecking((list) => [...list, item]);
      try {
        const policy = ws.group(groupId)?.imagePolicy ?? null;
        const result = await prepareAttachment(file, { policy, maxBytes: maxBytes() });
        if (!result.ok) {
          notify(groupId, result.notice);
          continue;
        }
        const { body, ...a } = result.attachment;
        const entry: QueuedUpload = {
          ...a,
          id: makeId<MessageId>(),
          groupId,
          createdAt: Date.now(),
          size: body.size,
        };
        // Hashing needs a secure context (HTTPS or localhost); without it the record waits
        // for the upload, as the server's answer carries the hash.
        const sha256 = await sha256Hex(body).catch(() => undefined);
        bodies.set(entry.id, body);
        setChecking((list) =>
          list.map((c) => (c.id === item.id ? { ...c, messageId: entry.id } : c)),
        );
        await queue.add(entry, body);
        if (sha256) await recordPending(entry, sha256);
        flush();
      } catch (err) {
        logger.warn('cannot queue an attachment', { err: String(err) });
        notify(groupId, `“${item.name}” could not be kept on this device to send.`);
      } finally {
        setChecking((list) => list.filter((c) => c.id !== item.id));
      }
    }
  };

  const onOnline = (): void => flush();

  return {
    entries,
    groupOf,
    progress: (id) => {
      tick();
      return queue.progress(id);
    },
    checking,
    notices,
    attach(groupId, files) {
      // One batch after another: the queue keeps the order the files were picked in.
      chain = chain.then(() => attachNow(groupId, files));
      return chain;
    },
    remove(id) {
      void queue.remove(id);
    },
    dismiss(noticeId) {
      setNotices((list) => list.filter((n) => n.id !== noticeId));
    },
    body: async (id) => bodies.get(id) ?? (await queue.body(id)),
    warm() {
      void warmClassifier().catch((err: unknown) =>
        logger.warn('the image classifier did not load', { err: String(err) }),
      );
    },
    acquire() {
      refs++;
      if (refs !== 1) return;
      window.addEventListener('online', onOnline);
      retryTimer = setInterval(() => {
        if (queue.entries().some((e) => e.error === undefined)) flush();
      }, RETRY_MS);
      void loadLimits();
      void queue.load().then(flush);
    },
    release() {
      refs = Math.max(0, refs - 1);
      if (refs !== 0) return;
      window.removeEventListener('online', onOnline);
      clearInterval(retryTimer);
    },
  };
}
