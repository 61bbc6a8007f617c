// The open conversation as Solid signals, fed by Yjs events: message count and resets from
// the mirror, ACK, marker, edit and reaction "ticks" (rows re-derive what they show only
// while visible), peers from awareness, and the sync status. Sending appends one record;
// editing, deleting, reacting and pinning write the shared document the way the relay accepts
// (shared message-actions.ts). Nothing here walks the message array on a send.
/* eslint-disable solid/reactivity -- a state factory: its callbacks run on Yjs, network
   and DOM events, where reading signals untracked is intended. */
import { batch, createMemo, createSignal, onCleanup } from 'solid-js';
import type { Accessor } from 'solid-js';
import type * as Y from 'yjs';
import {
  appendOwnMessage,
  authorEdit,
  deleteMessage,
  editMessage,
  groupDoc,
  makeId,
  MAX_MESSAGE_TEXT,
  moderatesMessages,
  pinsOf,
  togglePin,
  toggleReaction,
} from '@canopy/shared';
import type {
  GroupId,
  MarkerRecord,
  MessageId,
  MessageRecord,
  PinnedMessage,
  UserId,
} from '@canopy/shared';
import type { GroupSync, SyncStatus } from '../sync/group-sync.js';
import { markRead, readersOf } from '../sync/markers.js';
import { onPeersChange, peers, setTyping } from '../sync/presence.js';
import { nextFrame } from '../sync/next-frame.js';
import { throttle } from '../sync/throttle.js';
import type { PeerState } from '../sync/presence.js';
import { createReactionIndex } from '../sync/reaction-index.js';
import type { ReactionSummary } from '../sync/reaction-index.js';
import type { Workspace } from './workspace.js';
import { ASSISTANT_MENTION } from '../util/mentions.js';
import type { Mentionable } from '../util/mentions.js';
import { createUnreadDivider } from './unread-divider.js';
import type { UnreadDivider } from './unread-divider.js';

/** Where a `pending` attachment's bytes are: on their way, on the server, or never coming. */
export type UploadState = 'uploading' | 'stored' | 'failed';

export type MessageStatus =
  | { kind: 'device' }
  | { kind: 'server' }
  | { kind: 'read'; count: number; all: boolean; readers: UserId[] };

export interface Conversation {
  groupId: GroupId;
  sync: GroupSync;
  count: Accessor<number>;
  resetKey: Accessor<number>;
  status: Accessor<SyncStatus>;
  peers: Accessor<ReadonlyMap<UserId, PeerState>>;
  typingNames: Accessor<string[]>;
  message(index: number): MessageRecord | undefined;
  messageStatus(index: number): MessageStatus | null;
  /** The state of a message's attachment bytes (`stored` unless the record is `pending`). */
  uploadState(record: MessageRecord): UploadState;
  /** Changes whenever edits, tombstones or pins change (what `shown` and `deleted` read). */
  editVersion: Accessor<number>;
  /** The text to show (the author's latest edit, else the record's), edited, pinned. */
  shown(record: MessageRecord): { text: string | undefined; edited: boolean; pinned: boolean };
  /** A tombstone exists for a message whose item is still here (shown as deleted). */
  deleted(record: MessageRecord): boolean;
  reactions(messageId: MessageId): ReactionSummary[];
  /** Index of a message in the list, or -1 when it is not (or not yet) here. */
  indexOf(messageId: MessageId): number;
  canEdit(record: MessageRecord): boolean;
  canDelete(record: MessageRecord): boolean;
  /** pinned messages, the latest pin first */
  pins: Accessor<readonly PinnedMessage[]>;
  /** group owners and admins pin messages (the relay checks the role too) */
  canPin(): boolean;
  togglePin(messageId: MessageId): void;
  send(text: string, replyTo?: MessageId): boolean;
  edit(record: MessageRecord, text: string): boolean;
  remove(record: MessageRecord, index: number): boolean;
  react(messageId: MessageId, emoji: string): void;
  markReadUpTo(index: number): void;
  typing(active: boolean): void;
  loaded: Accessor<boolean>;
  /** where "New messages" starts (unread when the conversation opened) */
  unread: UnreadDivider;
  /** who `@` can mention here: the other members (as far as known) and the assistant */
  mentionables: Accessor<Mentionable[]>;
  /** usernames a mention in this conversation can name (highlighted in messages) */
  mentionNames: Accessor<ReadonlySet<string>>;
}

const TYPING_IDLE_MS = 4000;
const READ_MS = 1000;

export function createConversation(ws: Workspace, groupId: GroupId): Conversation {
  const sync = ws.pool.acquire(groupId);
  onCleanup(() => {
    setTyping(sync.awareness, false);
    ws.pool.release(sync);
  });
  const me = ws.me.id;
  const { mirror, doc, awareness } = sync;
  const [count, setCount] = createSignal(mirror.length);
  const [resetKey, setResetKey] = createSignal(0);
  const [ackTick, setAckTick] = createSignal(0);
  const [status, setStatus] = createSignal<SyncStatus>(sync.status());
  const [peerMap, setPeerMap] = createSignal<ReadonlyMap<UserId, PeerState>>(new Map());
  const [loaded, setLoaded] = createSignal(false);
  // Until the document has loaded, rows come from the cached tail (newest ~50 messages),
  // so a big group paints at once; the first mirror change switches to the document.
  const [tail, setTail] = createSignal<MessageRecord[] | null>(null);
  void ws.pool.loadTail(groupId).then((t) => {
    if (mirror.length > 0 || loaded() || t.length === 0) return;
    batch(() => {
      setTail(t);
      setCount(t.length);
      setResetKey((k) => k + 1);
    });
    performance.mark(`canopy:tail-shown:${groupId}`);
  });

  // Appends reach the list once per frame: the row of a sent message is built right before
  // the frame that paints it rather than inside the key handler, and a burst of incoming
  // messages renders once.
  let cancelAppends: (() => void) | null = null;
  const showAppends = (): void => {
    cancelAppends = null;
    setCount(mirror.length);
  };
  const unread = createUnreadDivider(sync, me);
  if (sync.status() !== 'loading') unread.loaded(); // a warm group: before rows mark read
  const offMirror = mirror.subscribe((change) => {
    // The first change is the local copy's load (or the first sync): rows switch to the
    // document below and may mark read at once, so the divider takes my marker first.
    unread.loaded();
    unread.changed();
    if (change.type === 'append' && tail() === null) {
      cancelAppends ??= nextFrame(showAppends, 100);
      return;
    }
    cancelAppends?.();
    cancelAppends = null;
    batch(() => {
      const wasTail = tail() !== null;
      setTail(null);
      setCount(mirror.length);
      if (change.type === 'reset' || wasTail) setResetKey((k) => k + 1);
    });
  });
  const offAck = sync.onAck(() => setAckTick((t) => t + 1));
  const offStatus = sync.onStatus((s) => {
    setStatus(s);
    unread.status(s);
  });
  const readMarkers = groupDoc(doc).readMarkers;
  const markers = createFrameTick();
  const onMarkers = (event: Y.YMapEvent<MarkerRecord>): void => {
    // My own marker (moved on every send) never changes what my rows show.
    if (event.keysChanged.size === 1 && event.keysChanged.has(me)) return;
    markers.bump();
  };
  readMarkers.observe(onMarkers);
  const { edits, deletions, reactions, pins } = groupDoc(doc);
  const editTicks = createFrameTick();
  edits.observe(editTicks.bump);
  deletions.observe(editTicks.bump);
  const [pinList, setPinList] = createSignal(pinsOf(doc));
  const onPins = (): void => {
    setPinList(pinsOf(doc));
    editTicks.bump();
  };
  pins.observe(onPins);
  const reactionIndex = createReactionIndex(doc);
  const reactionTicks = createFrameTick();
  reactions.observe(reactionTicks.bump);
  const markerTick = markers.tick;
  const editTick = editTicks.tick;
  const uploads = groupDoc(doc).uploads;
  const [uploadTick, setUploadTick] = createSignal(0);
  const onUploads = (): void => void setUploadTick((t) => t + 1);
  uploads.observe(onUploads);
  const onAwareness = (): void => {
    const next = peers(awareness);
    for (const p of next.values()) ws.rememberName(p.userId, p.name);
    setPeerMap(next);
  };
  const offPeers = onPeersChange(awareness, onAwareness);
  onAwareness();
  void sync.loaded.then(() => {
    unread.loaded(); // before any row marks a message read
    batch(() => {
      setTail(null);
      setCount(mirror.length);
      setResetKey((k) => k + 1);
      setLoaded(true);
      setStatus(sync.status());
    });
  });

  // Read markers: at most one write per READ_MS while messages stream in.
  let readUpTo = -1;
  const flushRead = throttle(() => {
    if (readUpTo >= 0) markRead(doc, mirror, me, Math.min(readUpTo, mirror.length - 1));
  }, READ_MS);
  onCleanup(() => flushRead.cancel());
  let typingTimer: ReturnType<typeof setTimeout> | undefined;
  onCleanup(() => {
    offMirror();
    offAck();
    offStatus();
    readMarkers.unobserve(onMarkers);
    uploads.unobserve(onUploads);
    edits.unobserve(editTicks.bump);
    deletions.unobserve(editTicks.bump);
    pins.unobserve(onPins);
    reactions.unobserve(reactionTicks.bump);
    reactionIndex.destroy();
    offPeers();
    unread.destroy();
    cancelAppends?.();
    clearTimeout(typingTimer);
  });

  const members = (): UserId[] => ws.group(groupId)?.members.map((m) => m.userId) ?? [];
  const mentionables = createMemo((): Mentionable[] => {
    const people: Mentionable[] = [];
    for (const id of members()) {
      const user = id === me ? undefined : ws.user(id);
      if (user && !user.isBot)
        people.push({ username: user.username, name: user.displayName || user.username });
    }
    if (ws.group(groupId)?.botEnabled)
      people.push({ username: ASSISTANT_MENTION, name: 'Assistant' });
    return people;
  });
  const mentionNames = createMemo(
    (): ReadonlySet<string> => new Set([ws.me.username, ...mentionables().map((p) => p.username)]),
  );
  /** Group owners and admins delete anyone's messages and pin (the relay checks the role too). */
  const moderator = (): boolean => {
    const g = ws.group(groupId);
    const role = g?.members.find((m) => m.userId === me)?.role;
    return g !== undefined && role !== undefined && moderatesMessages(g.kind, role);
  };

  const append = (body: string, replyTo: MessageId | undefined): void =>
    appendOwnMessage(doc, {
      id: makeId<MessageId>(),
      authorId: me,
      createdAt: Date.now(),
      kind: 'text',
      text: body,
      ...(replyTo ? { replyTo } : {}),
    });
  const canDelete = (record: MessageRecord): boolean => record.authorId === me || moderator();
  // An assistant's answer grows by edits: that is not "edited".
  const shown = (
    record: MessageRecord,
  ): { text: string | undefined; edited: boolean; pinned: boolean } => {
    editTick();
    const edit = authorEdit(record, edits.get(record.id));
    const pinned = pins.has(record.id);
    return edit
      ? { text: edit.text, edited: record.kind !== 'bot', pinned }
      : { text: record.text, edited: false, pinned };
  };
  const whenLoaded = (write: () => void): void => {
    if (loaded()) write();
    else void sync.loaded.then(write);
  };

  return {
    groupId,
    sync,
    count,
    resetKey,
    status,
    peers: peerMap,
    typingNames: () =>
      [...peerMap().values()]
        .filter((p) => p.typing && p.userId !== me)
        .map((p) => ws.userName(p.userId) || p.name),
    message: (index) => {
      resetKey();
      const t = tail();
      return t ? t[index] : mirror.get(index);
    },
    messageStatus(index) {
      resetKey();
      if (tail()) return null;
      const rec = mirror.get(index);
      if (!rec || rec.authorId !== me) return null;
      markerTick();
      const others = members().filter((u) => u !== me);
      const readers = readersOf(doc, mirror, index).filter((u) => u !== me);
      if (readers.length > 0) {
        const all = others.length > 0 && others.every((u) => readers.includes(u));
        return { kind: 'read', count: readers.length, all, readers };
      }
      // Stored is final: only rows still on this device listen for ACKs.
      if (sync.delivery.isStored(mirror.clientAt(index), mirror.clockAt(index))) {
        return { kind: 'server' };
      }
      ackTick();
      return { kind: 'device' };
    },
    uploadState(record) {
      if (!record.attachment?.pending) return 'stored';
      uploadTick();
      return uploads.get(record.id)?.state ?? 'uploading';
    },
    editVersion: editTick,
    shown,
    deleted(record) {
      editTick();
      return deletions.has(record.id);
    },
    reactions(messageId) {
      reactionTicks.tick();
      return reactionIndex.of(messageId);
    },
    indexOf(messageId) {
      resetKey();
      const t = tail();
      return t ? t.findIndex((r) => r.id === messageId) : mirror.indexOf(messageId);
    },
    canEdit: (record) => record.authorId === me && record.kind === 'text',
    canDelete,
    pins: pinList,
    canPin: moderator,
    togglePin(messageId) {
      if (moderator()) whenLoaded(() => togglePin(doc, messageId, me));
    },
    send(text, replyTo) {
      const body = text.trim();
      if (!body || body.length > MAX_MESSAGE_TEXT) return false;
      // Before the local copy is applied, the document holds nothing to append after:
      // the message would sort before the history. It waits for the load (same order).
      whenLoaded(() => append(body, replyTo));
      unread.clear();
      clearTimeout(typingTimer);
      setTyping(awareness, false);
      return true;
    },
    edit(record, text) {
      const body = text.trim();
      if (!body || body.length > MAX_MESSAGE_TEXT || record.authorId !== me) return false;
      if (body === (shown(record).text ?? '')) return true;
      whenLoaded(() => editMessage(doc, record.id, me, body));
      return true;
    },
    remove(record, index) {
      if (!canDelete(record)) return false;
      whenLoaded(() => deleteMessage(doc, record.id, me, tail() ? -1 : index));
      return true;
    },
    react(messageId, emoji) {
      whenLoaded(() => toggleReaction(doc, messageId, me, emoji));
    },
    markReadUpTo(index) {
      if (tail()) return; // tail indices are not document indices
      readUpTo = Math.max(readUpTo, index);
      queueMicrotask(flushRead); // after the transaction that rendered the row (the load's)
    },
    unread,
    mentionables,
    mentionNames,
    typing(active) {
      clearTimeout(typingTimer);
      setTyping(awareness, active);
      if (active) typingTimer = setTimeout(() => setTyping(awareness, false), TYPING_IDLE_MS);
    },
    loaded,
  };
}

/**
 * A counter that rows read to re-derive what they show: bumped at most once per frame
 * however many changes arrive (the next frame, or 100 ms in a hidden tab).
 */
function createFrameTick(): { tick: Accessor<number>; bump: () => void } {
  const [tick, setTick] = createSignal(0);
  let cancel: (() => void) | null = null;
  onCleanup(() => cancel?.());
  return {
    tick,
    bump: () => {
      cancel ??= nextFrame(() => {
        cancel = null;
        setTick((t) => t + 1);
      }, 100);
    },
  };
}
