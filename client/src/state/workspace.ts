// Everything of one signed-in user as Solid state: the group list (cached, refreshed from
// the server and the event channel), the users seen, sidebar summaries, the pool of open
// group documents (and the catch-up worker for the others) and the outbox for groups and DMs
// created offline; my mutes, flags and drafts live in files of their own. One file (~550
// lines) because these pieces share the same signals (groups, users, pending creations,
// summaries, presence) and the event channel writes to all of them; the Yjs and IndexedDB
// work lives in sync/.
// Must be created inside a Solid owner (it registers cleanups).
/* eslint-disable solid/reactivity -- a state factory: its callbacks run on Yjs, network
   and DOM events, where reading signals untracked is intended. */
import { batch, createMemo, createSignal, onCleanup } from 'solid-js';
import type { Accessor } from 'solid-js';
import { createStore, reconcile, unwrap } from 'solid-js/store';
import { ErrorCode, MAX_USER_LOOKUP, makeId } from '@canopy/shared';
import type { Group, GroupId, PublicUser, User, UserEvent, UserId } from '@canopy/shared';
import { clearDocument } from 'y-indexeddb';
import { api } from '../api/api-client.js';
import { isApiError, isNetworkError } from '../api/api-error.js';
import { openEventStream } from '../api/event-stream.js';
import { copyMessages } from '../sync/copy-messages.js';
import { makeCatchUp } from '../sync/catch-up.js';
import { makeGroupPool } from '../sync/group-pool.js';
import type { GroupPool } from '../sync/group-pool.js';
import { groupDbName } from '../sync/group-db-name.js';
import type { GroupSync, SyncStatus } from '../sync/group-sync.js';
import type { CloseReason } from '../sync/close-reason.js';
import type { KvStore } from '../sync/idb-kv.js';
import type { GroupSummary, LocalCache } from '../sync/local-cache.js';
import { makeOutbox } from '../sync/outbox.js';
import type { OutboxEntry, OutboxResult } from '../sync/outbox.js';
import { waitForStatus } from '../sync/wait-for-status.js';
import { log } from '../log.js';
import { createDrafts } from './drafts.js';
import type { Drafts } from './drafts.js';
import { createMutes } from './mutes.js';
import type { Mutes } from './mutes.js';
import { createConversationFlags } from './conversation-flags.js';
import type { ConversationFlags } from './conversation-flags.js';
import { createRefusalRecovery } from './refusal-recovery.js';
import type { RestoreNotice } from './refusal-recovery.js';

const logger = log.child('workspace');

export interface Workspace {
  me: User;
  /** Resolves once the cached state and the outbox are loaded (so isPending is known). */
  ready: Promise<void>;
  groups: Accessor<Group[]>;
  group(id: GroupId): Group | undefined;
  isPending(id: GroupId): boolean;
  summary(id: GroupId): GroupSummary;
  /** unread messages in the title and app badge: muted conversations only with a mention */
  totalUnread: Accessor<number>;
  user(id: UserId): PublicUser | undefined;
  knownUsers: Accessor<PublicUser[]>;
  userName(id: UserId): string;
  rememberUsers(users: readonly PublicUser[]): void;
  /** Fetches these public profiles into the user list (rejects as the request did). */
  fetchUsers(ids: readonly UserId[]): Promise<void>;
  rememberName(id: UserId, name: string): void;
  online: Accessor<boolean>;
  /** Seen in the awareness of any open group, or a DM partner the event channel says is on. */
  isOnline(id: UserId): boolean;
  eventsOpen: Accessor<boolean>;
  syncStatus(id: GroupId): SyncStatus | undefined;
  closeReason(id: GroupId): CloseReason | null;
  /** Set while and after a group's copy was restored from the server's (a refused change). */
  restoreNotice(id: GroupId): RestoreNotice | null;
  dismissRestoreNotice(id: GroupId): void;
  pool: GroupPool;
  /** Set when a local stand-in group was replaced by the real one (offline DM). */
  replaced(id: GroupId): GroupId | undefined;
  createGroup(name: string, members: UserId[]): Promise<GroupId>;
  createDm(other: PublicUser): Promise<GroupId>;
  refreshGroups(): Promise<void>;
  upsertGroup(group: Group): void;
  removeGroup(id: GroupId): void;
  /** Groups I left or was removed from during this session. */
  wasRemoved(id: GroupId): boolean;
  activeGroup: Accessor<GroupId | null>;
  setActiveGroup(id: GroupId | null): void;
  onUserEvent(fn: (event: UserEvent) => void): () => void;
  mutes: Mutes;
  /** my stars and unread marks */
  flags: ConversationFlags;
  drafts: Drafts;
}

export interface WorkspaceOptions {
  me: User;
  kv: KvStore;
  cache: LocalCache;
  /** `forget`: the server ended the session on purpose (see Session.ended). */
  onSessionEnded(reason: string, forget?: boolean): void;
}

export function createWorkspace(options: WorkspaceOptions): Workspace {
  const { me, kv, cache } = options;
  const onSessionEnded = (reason: string, forget = false): void =>
    options.onSessionEnded(reason, forget);
  const [groups, setGroups] = createSignal<Group[]>([]);
  const [users, setUsers] = createSignal<ReadonlyMap<UserId, PublicUser>>(new Map([[me.id, me]]));
  const [names, setNames] = createSignal<ReadonlyMap<UserId, string>>(new Map());
  const [summaries, setSummaries] = createStore<Record<string, GroupSummary>>({});
  const [pending, setPending] = createSignal<ReadonlySet<GroupId>>(new Set());
  const [online, setOnline] = createSignal(navigator.onLine);
  const [eventsOpen, setEventsOpen] = createSignal(false);
  const [statuses, setStatuses] = createStore<Record<string, SyncStatus>>({});
  const [reasons, setReasons] = createStore<Record<string, CloseReason | null>>({});
  const [replacements, setReplacements] = createStore<Record<string, GroupId>>({});
  const [activeGroup, setActiveGroup] = createSignal<GroupId | null>(null);
  const [present, setPresent] = createStore<Record<string, string[]>>({});
  /** DM partners the event channel says are online (known only while it is open) */
  const [partnersOnline, setPartnersOnline] = createSignal<ReadonlySet<UserId>>(new Set());
  const eventListeners = new Set<(e: UserEvent) => void>();

  const persistGroups = (): void => void cache.saveGroups(me.id, groups());
  let summaryTimer: ReturnType<typeof setTimeout> | undefined;
  const persistSummaries = (): void => {
    clearTimeout(summaryTimer);
    // unwrap: IndexedDB cannot clone the store's proxies.
    summaryTimer = setTimeout(() => void cache.saveSummaries(me.id, { ...unwrap(summaries) }), 500);
  };
  const setSummary = (id: GroupId, s: GroupSummary): void => {
    setSummaries(id, reconcile(s));
    persistSummaries();
  };

  const upsertGroup = (group: Group): void => {
    setGroups((list) => {
      const i = list.findIndex((g) => g.id === group.id);
      return i < 0 ? [...list, group] : list.map((g, j) => (j === i ? group : g));
    });
    persistGroups();
  };
  const [removed, setRemoved] = createSignal<ReadonlySet<GroupId>>(new Set());
  const removeGroup = (id: GroupId): void => {
    if (groups().some((g) => g.id === id) && !pending().has(id)) {
      setRemoved((s) => new Set([...s, id]));
    }
    setGroups((list) => list.filter((g) => g.id !== id));
    persistGroups();
  };

  const recovery = createRefusalRecovery(() => pool, me.id);
  const pool: GroupPool = makeGroupPool({
    user: { id: me.id, name: me.displayName || me.username, username: me.username },
    kv,
    isRegistered: (id) => !pending().has(id),
    onSummary: setSummary,
    onOpen: (id) => catchUp.drop(id),
    onPeers: (id, userIds) => setPresent(id, [...userIds]),
    onReplayed: (id, dropped) => recovery.replayed(id, dropped),
    onStatus(id, status, sync: GroupSync) {
      setStatuses(id, status);
      if (status !== 'closed') setReasons(id, null);
      else {
        const reason = sync.closeReason();
        if (reason === 'rejected' && recovery.recover(id, sync)) return;
        setReasons(id, reason);
        if (reason === 'session-ended') onSessionEnded('Your session ended. Please log in again.');
        if (reason === 'banned') onSessionEnded('Your account has been banned.');
      }
    },
  });

  // The groups not open here are kept up to date by a worker, which reports their summaries
  // from the document (see sync/catch-up.worker.ts).
  const catchUp = makeCatchUp({
    user: { id: me.id, username: me.username },
    onSummary: (id, summary) => {
      if (!pool.isOpen(id)) setSummary(id, summary);
    },
  });
  /** Asks for every group the server knows and this page has not open, the latest last. */
  const catchUpAll = (): void => {
    const lastAt = (id: GroupId): number => summaries[id]?.lastAt ?? 0;
    groups()
      .filter((g) => !pending().has(g.id) && !pool.isOpen(g.id))
      .map((g) => g.id)
      .sort((a, b) => lastAt(a) - lastAt(b))
      .forEach((id) => catchUp.follow(id));
  };

  const send = async (entry: OutboxEntry): Promise<OutboxResult> => {
    try {
      if (entry.kind === 'create-group') {
        try {
          upsertGroup(
            await api.createGroup({ id: entry.groupId, name: entry.name, members: entry.members }),
          );
        } catch (err) {
          // A retry after a lost answer: the group exists already.
          if (!isApiError(err, ErrorCode.CONFLICT)) throw err;
          upsertGroup(await api.getGroup(entry.groupId));
        }
        markRegistered(entry.groupId);
        return 'done';
      }
      return await registerDm(entry.groupId, entry.userId);
    } catch (err) {
      if (isNetworkError(err)) return 'retry';
      if (isApiError(err) && (err.status >= 500 || err.status === 429)) return 'retry';
      logger.warn('the server refused an offline creation', { kind: entry.kind, err: String(err) });
      return 'drop';
    }
  };

  const markRegistered = (id: GroupId): void => {
    setPending((s) => {
      const next = new Set(s);
      next.delete(id);
      return next;
    });
    pool.registered(id);
  };

  /** Offline DM: ask for the real DM, copy what was written locally into it, drop the stand-in. */
  const registerDm = async (localId: GroupId, userId: UserId): Promise<OutboxResult> => {
    const real = await api.createDm(userId);
    upsertGroup(real);
    const target = pool.acquire(real.id);
    const local = pool.acquire(localId);
    try {
      await local.loaded;
      // Append only after the real history arrived, so our messages land after it.
      if (!(await waitForStatus(target, 'synced', 15_000))) return 'retry';
      copyMessages(local.mirror, target.doc, target.mirror);
      batch(() => {
        setReplacements(localId, real.id);
        // Kept: a reload before the stand-in's queued uploads went out must still find it.
        void cache.saveReplacements(me.id, { ...unwrap(replacements) });
        removeGroup(localId);
        markRegistered(localId);
      });
    } finally {
      pool.release(target);
      pool.release(local);
    }
    pool.close(localId);
    await clearDocument(groupDbName(me.id, localId)).catch((err: unknown) => {
      logger.warn('cannot delete a stand-in group copy', { err: String(err) });
    });
    return 'done';
  };

  const outbox = makeOutbox(kv, me.id, send);
  const flush = (): void => void outbox.flush();
  outbox.onChange((entries) => setPending(new Set(entries.map((e) => e.groupId))));

  const refreshGroups = async (): Promise<void> => {
    try {
      const fromServer = await api.listGroups();
      const local = groups().filter((g) => pending().has(g.id));
      setGroups([...fromServer, ...local.filter((l) => !fromServer.some((g) => g.id === l.id))]);
      persistGroups();
    } catch (err) {
      if (isApiError(err) && err.status === 401) {
        onSessionEnded('Your session ended. Please log in again.');
      } else if (!isNetworkError(err)) {
        logger.warn('cannot refresh groups', { err: String(err) });
      }
    }
  };

  const previewTimers = new Map<GroupId, ReturnType<typeof setTimeout>>();
  const fetchPreview = (id: GroupId): void => {
    clearTimeout(previewTimers.get(id));
    previewTimers.set(
      id,
      setTimeout(() => {
        api
          .lastMessages(id, 1)
          .then(({ messages }) => {
            const last = messages[messages.length - 1];
            if (!last || pool.isOpen(id)) return;
            setSummary(id, {
              ...(summaries[id] ?? { unread: 0 }),
              lastText: last.text ?? '',
              lastAt: last.createdAt,
              lastAuthorId: last.authorId,
            });
          })
          .catch((err: unknown) => logger.debug('no preview', { err: String(err) }));
      }, 300),
    );
  };

  const onEvent = (event: UserEvent): void => {
    switch (event.type) {
      case 'group':
        upsertGroup(event.group);
        break;
      case 'group-removed':
        removeGroup(event.groupId);
        pool.close(event.groupId);
        catchUp.drop(event.groupId);
        break;
      case 'activity': {
        // Open groups count from their document, and so do those the worker follows; others
        // get a hint and a preview (a fresh one when a message was edited or deleted) until
        // the worker has caught up with them.
        if (pool.isOpen(event.groupId) || !event.messageId) break;
        catchUp.follow(event.groupId);
        if (event.authorId === me.id || catchUp.follows(event.groupId)) break;
        if (!event.change) {
          const prev = summaries[event.groupId] ?? { unread: 0 };
          setSummary(event.groupId, {
            ...prev,
            unread: prev.unread + 1,
            lastAt: event.at,
            ...(event.mention ? { mentioned: true } : {}),
          });
        }
        fetchPreview(event.groupId);
        break;
      }
      case 'user':
        // Someone in one of my groups changed their name or picture.
        rememberUsers([event.user]);
        break;
      case 'presence':
        setPartnersOnline((set) => {
          const next = new Set(set);
          if (event.online) next.add(event.userId);
          else next.delete(event.userId);
          return next;
        });
        break;
      case 'session-ended':
        onSessionEnded(
          event.reason === 'banned'
            ? 'Your account has been banned.'
            : 'Your session ended. Please log in again.',
          // Ended on purpose (logout elsewhere, password change, ban): forget the device's data.
          true,
        );
        break;
    }
    for (const fn of eventListeners) fn(event);
  };

  // Start: cache first (instant, offline), then the outbox, the server and the events.
  let loadedLocally = (): void => undefined;
  const ready = new Promise<void>((resolve) => (loadedLocally = resolve));
  void (async () => {
    const [cachedGroups, cachedUsers, cachedSummaries, cachedReplacements] = await Promise.all([
      cache.loadGroups(me.id),
      cache.loadUsers(me.id),
      cache.loadSummaries(me.id),
      cache.loadReplacements(me.id),
      outbox.load(),
    ]);
    batch(() => {
      setReplacements(cachedReplacements);
      if (groups().length === 0) setGroups(cachedGroups);
      setUsers((m) => new Map([...cachedUsers.map((u) => [u.id, u] as const), ...m]));
      setSummaries(reconcile({ ...cachedSummaries, ...summaries }));
    });
    loadedLocally();
    flush();
    void pool.resumeKept().catch((err: unknown) => {
      logger.warn('cannot resume kept changes', { err: String(err) });
    });
    await refreshGroups();
    // Groups never seen on this device get a preview of their last message.
    for (const g of groups().slice(0, 30))
      if (!summaries[g.id] && !pending().has(g.id)) fetchPreview(g.id);
  })();

  const stream = openEventStream(onEvent, (open) => {
    setEventsOpen(open);
    // A new stream starts with who is online now.
    if (!open) setPartnersOnline(new Set<UserId>());
    if (open) {
      flush();
      // Whatever was written while this page was away or offline comes to the device.
      void refreshGroups().then(catchUpAll);
    }
  });
  const onOnline = (): void => {
    setOnline(true);
    flush();
  };
  const onOffline = (): void => void setOnline(false);
  window.addEventListener('online', onOnline);
  window.addEventListener('offline', onOffline);
  const retryTimer = setInterval(() => {
    if (outbox.entries().length > 0) flush();
  }, 10_000);
  onCleanup(() => {
    stream.close();
    window.removeEventListener('online', onOnline);
    window.removeEventListener('offline', onOffline);
    clearInterval(retryTimer);
    clearTimeout(summaryTimer);
    for (const t of previewTimers.values()) clearTimeout(t);
    catchUp.destroy();
    pool.destroy();
  });

  const onUserEvent = (fn: (event: UserEvent) => void): (() => void) => {
    eventListeners.add(fn);
    return () => eventListeners.delete(fn);
  };
  const mutes = createMutes({ me, cache, eventsOpen, onUserEvent });
  const flags = createConversationFlags({
    me,
    cache,
    eventsOpen,
    onUserEvent,
    resolve: (id) => replacements[id] ?? id,
    isPending: (id) => pending().has(id),
  });
  // A muted conversation counts only while an unread message mentions me; one I marked
  // unread counts at least one.
  const totalUnread = createMemo(() =>
    groups().reduce((n, g) => {
      const s = summaries[g.id];
      const unread = Math.max(s?.unread ?? 0, flags.has('unread', g.id) ? 1 : 0);
      return mutes.isMuted(g.id) && !s?.mentioned ? n : n + unread;
    }, 0),
  );

  const localGroup = (kind: 'group' | 'dm', name: string, members: UserId[]): Group => ({
    id: makeId<GroupId>(),
    kind,
    name,
    topic: '',
    createdAt: Date.now(),
    createdBy: me.id,
    members: [
      { userId: me.id, role: 'owner', joinedAt: Date.now() },
      ...members
        .filter((m) => m !== me.id)
        .map((userId) => ({
          userId,
          role: 'member' as const,
          joinedAt: Date.now(),
        })),
    ],
    botEnabled: false,
    imagePolicy: null,
  });

  // Names of members never seen in a search: ask the directory once per id and session, the
  // ids asked for in one turn (a page of rows rendering) in one request.
  const askedFor = new Set<UserId>();
  const toAsk: UserId[] = [];
  const fetchUsers = async (ids: readonly UserId[]): Promise<void> => {
    for (let i = 0; i < ids.length; i += MAX_USER_LOOKUP) {
      rememberUsers(await api.lookupUsers(ids.slice(i, i + MAX_USER_LOOKUP)));
    }
  };
  const askNow = (): void => {
    const ids = toAsk.splice(0);
    fetchUsers(ids).catch((err: unknown) => {
      if (isNetworkError(err)) for (const id of ids) askedFor.delete(id);
    });
  };
  const lookUp = (id: UserId): void => {
    if (askedFor.has(id)) return;
    askedFor.add(id);
    if (toAsk.push(id) === 1) queueMicrotask(askNow);
  };

  const rememberUsers = (list: readonly PublicUser[]): void => {
    if (list.length === 0) return;
    setUsers((m) => new Map([...m, ...list.map((u) => [u.id, u] as const)]));
    void cache.saveUsers(me.id, [...users().values()]);
  };

  return {
    me,
    ready,
    groups,
    group: (id) => groups().find((g) => g.id === id),
    isPending: (id) => pending().has(id),
    summary: (id) => summaries[id] ?? { unread: 0 },
    totalUnread,
    user: (id) => users().get(id),
    knownUsers: () => [...users().values()],
    userName(id) {
      const u = users().get(id);
      if (u) return u.displayName || u.username;
      lookUp(id);
      return names().get(id) ?? 'Unknown member';
    },
    rememberUsers,
    fetchUsers,
    rememberName(id, name) {
      if (!name || users().has(id) || names().get(id) === name) return;
      setNames((m) => new Map([...m, [id, name]]));
    },
    online,
    isOnline: (id) =>
      partnersOnline().has(id) || Object.values(present).some((list) => list.includes(id)),
    eventsOpen,
    syncStatus: (id) => statuses[id],
    closeReason: (id) => reasons[id] ?? null,
    restoreNotice: (id) => recovery.notice(id),
    dismissRestoreNotice: (id) => recovery.dismiss(id),
    pool,
    replaced: (id) => replacements[id],
    async createGroup(name, members) {
      const group = localGroup('group', name, members);
      // The id is ours either way, so the group opens at once and a retry is idempotent.
      batch(() => {
        setPending((s) => new Set([...s, group.id]));
        upsertGroup(group);
      });
      await outbox.add({ kind: 'create-group', groupId: group.id, name, members, at: Date.now() });
      flush();
      return group.id;
    },
    async createDm(other) {
      rememberUsers([other]);
      const existing = groups().find(
        (g) => g.kind === 'dm' && g.members.some((m) => m.userId === other.id),
      );
      if (existing) return existing.id;
      try {
        const dm = await api.createDm(other.id);
        upsertGroup(dm);
        return dm.id;
      } catch (err) {
        if (!isNetworkError(err)) throw err;
      }
      const group = localGroup('dm', other.displayName || other.username, [other.id]);
      batch(() => {
        setPending((s) => new Set([...s, group.id]));
        upsertGroup(group);
      });
      await outbox.add({ kind: 'create-dm', groupId: group.id, userId: other.id, at: Date.now() });
      return group.id;
    },
    refreshGroups,
    upsertGroup,
    removeGroup,
    wasRemoved: (id) => removed().has(id),
    activeGroup,
    setActiveGroup,
    onUserEvent,
    mutes,
    flags,
    drafts: createDrafts(me, kv),
  };
}
