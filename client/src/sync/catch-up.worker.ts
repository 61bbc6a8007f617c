// The catch-up worker keeps this device's copies of the groups the page has not open up to
// date: so that every conversation reads offline with what was written while it was closed,
// and the sidebar counts unread messages from the document rather than from hints. A worker,
// because loading a large copy takes the main thread for a second.
//
// It takes the groups it is asked to follow one at a time. First it asks the relay what is
// new since the state vector kept at the group's last catch-up (or last save by the page),
// without loading the copy: usually nothing, and then it is done. Otherwise it loads the
// copy from IndexedDB, applies the answer, asks for what the copy itself lacks (a sync step
// 1 with its state vector), stores all of it through y-indexeddb, reports the group's
// summary and saves its newest messages for the first paint and its state vector. It then
// stays connected, doing the same for each update, for the few groups followed last.
//
// It writes nothing to a group and shares no presence. It never answers the relay's sync
// step 1, which would send the changes the copy holds and the relay lacks: those made offline
// go out from the page, which knows what to do when the relay refuses one.
/// <reference lib="webworker" />
import * as Y from 'yjs';
import * as decoding from 'lib0/decoding';
import * as encoding from 'lib0/encoding';
import * as syncProtocol from 'y-protocols/sync';
import { IndexeddbPersistence } from 'y-indexeddb';
import { MessageType, groupDoc } from '@canopy/shared';
import type { GroupId, UserId } from '@canopy/shared';
import type { CatchUpCommand, CatchUpReport } from './catch-up-protocol.js';
import { bringsItems } from './brings-items.js';
import { installFastAsciiDecoding } from './fast-ascii-decoding.js';
import { groupDbName } from './group-db-name.js';
import { saveCopyState, stateVectorKey, summarizeGroup } from './group-summary.js';
import { makeIdbKv } from './idb-kv.js';
import { createMessageMirror } from './message-mirror.js';
import { throttle } from './throttle.js';
import { log } from '../log.js';

declare const self: DedicatedWorkerGlobalScope;

const logger = log.child('catch-up');
/** groups kept connected after their catch-up, the most recently asked for */
const FOLLOWED = 3;
/** a catch-up that has not synced by then no longer holds up the next */
const SYNC_WAIT_MS = 15_000;
const REPORT_MS = 250;
const SAVE_MS = 1000;
/** the origin of what the relay sent */
const RELAY = Symbol('relay');

interface Follower {
  /** Settles once the copy is up to date, or the follower stopped. */
  readonly synced: Promise<void>;
  close(): void;
}

installFastAsciiDecoding();
const kv = makeIdbKv();
let me: { id: UserId; username: string } | null = null;
let syncUrl = '';
/** oldest first */
const followed = new Map<GroupId, Follower>();
const waiting: GroupId[] = [];
let busy = false;

const post = (report: CatchUpReport): void => self.postMessage(report);

function openFollower(groupId: GroupId, user: { id: UserId; username: string }): Follower {
  const doc = new Y.Doc();
  const mirror = createMessageMirror(doc);
  const { readMarkers, edits, uploads } = groupDoc(doc);
  let persistence: IndexeddbPersistence | null = null;
  let closed = false;
  /**
   * probing: asked with the state vector kept from the last catch-up, copy not loaded;
   * loading: the copy loads, what the relay sends waits; syncing: asked with the copy's
   * own state vector; live: up to date, following.
   */
  let phase: 'probing' | 'loading' | 'syncing' | 'live' = 'probing';
  /** what the relay sent before the copy was loaded */
  const held: Uint8Array[] = [];
  /** whether the relay sent anything new since the kept state vector */
  let changed = false;
  let lastReport = '';
  let settle = (): void => undefined;
  const synced = new Promise<void>((resolve) => (settle = resolve));

  const save = throttle(() => saveCopyState(kv, user.id, groupId, doc, mirror), SAVE_MS);
  const report = throttle(() => {
    if (phase !== 'live' || closed) return;
    const summary = summarizeGroup(doc, mirror, user);
    const text = JSON.stringify(summary);
    if (text !== lastReport) {
      lastReport = text;
      post({ type: 'summary', groupId, summary });
    }
    save();
  }, REPORT_MS);
  const offMirror = mirror.subscribe(() => report());
  const onChange = (): void => report();
  readMarkers.observe(onChange);
  edits.observe(onChange);
  uploads.observe(onChange);

  /** Asks the relay for what a copy with this state vector lacks. */
  const sendSyncStep1 = (socket: WebSocket, stateVector: Uint8Array): void => {
    const encoder = encoding.createEncoder();
    encoding.writeVarUint(encoder, MessageType.SYNC);
    encoding.writeVarUint(encoder, syncProtocol.messageYjsSyncStep1);
    encoding.writeVarUint8Array(encoder, stateVector);
    socket.send(encoding.toUint8Array(encoder));
  };

  /** Loads the copy, applies what came meanwhile, and asks for the rest. */
  const load = async (socket: WebSocket): Promise<void> => {
    phase = 'loading';
    const local = new IndexeddbPersistence(groupDbName(user.id, groupId), doc);
    persistence = local;
    await local.whenSynced;
    if (closed) return;
    for (const update of held.splice(0)) Y.applyUpdate(doc, update, RELAY);
    phase = 'syncing';
    sendSyncStep1(socket, Y.encodeStateVector(doc));
  };

  const receive = (socket: WebSocket, data: Uint8Array): void => {
    const decoder = decoding.createDecoder(data);
    if (decoding.readVarUint(decoder) !== MessageType.SYNC) return; // presence, ACKs
    const step = decoding.readVarUint(decoder);
    if (step === syncProtocol.messageYjsSyncStep1) return; // unanswered, see the header
    const update = decoding.readVarUint8Array(decoder);
    const isStep2 = step === syncProtocol.messageYjsSyncStep2;
    if (phase === 'probing' || phase === 'loading') {
      held.push(update);
      changed ||= !isStep2 || bringsItems(update);
      if (phase === 'loading' || !isStep2) return;
      // Nothing new since the last catch-up: the copy stays as it is, unopened.
      if (!changed) stop(groupId);
      else void load(socket).catch((err: unknown) => fail(err));
      return;
    }
    Y.applyUpdate(doc, update, RELAY);
    if (isStep2 && phase === 'syncing') {
      phase = 'live';
      settle();
      report();
    }
  };
  const fail = (err: unknown): void => {
    logger.warn('cannot catch up a group', { groupId, err: String(err) });
    stop(groupId);
  };

  const close = (): void => {
    if (closed) return;
    closed = true;
    settle();
    report.cancel();
    save.cancel();
    offMirror();
    readMarkers.unobserve(onChange);
    edits.unobserve(onChange);
    uploads.unobserve(onChange);
    socket.close();
    // Closing the database waits for the writes under way; then the document goes.
    void (persistence?.destroy() ?? Promise.resolve()).finally(() => {
      mirror.destroy();
      doc.destroy();
    });
  };

  const known = kv.get(stateVectorKey(user.id, groupId)).then(
    (v) => (v instanceof Uint8Array ? v : null),
    () => null,
  );
  const socket = new WebSocket(`${syncUrl}/${groupId}`);
  socket.binaryType = 'arraybuffer';
  socket.onopen = () => {
    void known.then((stateVector) => {
      if (closed) return;
      if (stateVector) sendSyncStep1(socket, stateVector);
      else load(socket).catch((err: unknown) => fail(err));
    });
  };
  socket.onmessage = (event: MessageEvent<ArrayBuffer>) => {
    try {
      receive(socket, new Uint8Array(event.data));
    } catch (err) {
      fail(err);
    }
  };
  socket.onclose = (event) => {
    if (!closed) logger.debug('connection closed', { groupId, code: event.code });
    stop(groupId);
  };
  return { synced, close };
}

function stop(groupId: GroupId): void {
  const follower = followed.get(groupId);
  if (!follower) return;
  followed.delete(groupId);
  follower.close();
  post({ type: 'stopped', groupId });
}

async function next(): Promise<void> {
  if (busy || !me) return;
  const groupId = waiting.shift();
  if (!groupId) return;
  busy = true;
  try {
    const follower = openFollower(groupId, me);
    followed.set(groupId, follower);
    let timer: ReturnType<typeof setTimeout> | undefined;
    await Promise.race([
      follower.synced,
      new Promise<void>((resolve) => (timer = setTimeout(resolve, SYNC_WAIT_MS))),
    ]);
    clearTimeout(timer);
    for (const id of followed.keys()) {
      if (followed.size <= FOLLOWED) break;
      stop(id);
    }
  } catch (err) {
    logger.warn('cannot catch up a group', { groupId, err: String(err) });
    stop(groupId);
  } finally {
    busy = false;
    void next();
  }
}

self.onmessage = (event: MessageEvent<CatchUpCommand>) => {
  const command = event.data;
  switch (command.type) {
    case 'start':
      me = command.user;
      syncUrl = command.syncUrl;
      break;
    case 'follow': {
      const follower = followed.get(command.groupId);
      if (follower) {
        // The most recently asked for is pushed out last.
        followed.delete(command.groupId);
        followed.set(command.groupId, follower);
      } else if (!waiting.includes(command.groupId)) waiting.push(command.groupId);
      break;
    }
    case 'drop': {
      const at = waiting.indexOf(command.groupId);
      if (at >= 0) waiting.splice(at, 1);
      stop(command.groupId);
      break;
    }
  }
  void next();
};
