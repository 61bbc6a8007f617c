// Public surface of the relay, as the rest of the server (app.ts, main.ts, HTTP routes,
// the assistant) uses it. Implemented by createRelay() in relay/relay.ts.
import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import type { Database } from 'better-sqlite3';
import type {
  GroupId,
  GroupRole,
  ListMessagesResponse,
  MessageId,
  MessageKind,
  MessageRecord,
  UserId,
  Attachment,
} from '@canopy/shared';
import type { Logger } from '../log.js';
import type { RoomGuardFactory } from './update-guard.js';
import type { DocStore } from './doc-store.js';

export interface SocketIdentity {
  userId: UserId;
  /** hashed session id, so logout can close exactly this session's sockets */
  sessionId: string;
}

export type MembershipAnswer =
  | { kind: 'member'; role: GroupRole; isBot: boolean; conversation: 'group' | 'dm' }
  | { kind: 'not-member' }
  | { kind: 'no-group' };

/** What the relay needs from the rest of the server. */
export interface RelayAccess {
  /** Origin check for the upgrade request (same rules as state-changing HTTP requests). */
  isOriginAllowed(req: IncomingMessage): boolean;
  /** The session behind the request's cookie, or null (missing, expired, forged, banned). */
  authenticate(req: IncomingMessage): Promise<SocketIdentity | null>;
  membership(groupId: GroupId, userId: UserId): MembershipAnswer;
  audit(entry: {
    action: string;
    actorId: UserId | null;
    groupId?: GroupId;
    targetId?: string;
    details?: Record<string, unknown>;
  }): void;
}

export interface RelayOptions {
  /** the open better-sqlite3 handle (WAL); the relay prepares its own statements */
  sqlite: Database;
  log: Logger;
  access: RelayAccess;
  /** null: validation switched off (benchmark comparison only) */
  guard: RoomGuardFactory | null;
  /** ms between persistence flushes (default: next event-loop turn) */
  flushIntervalMs?: number;
  /**
   * under load, flushes (each ends in one write per peer) start at least this many ms
   * apart; an update after a quiet moment still goes out on the next turn (default 10)
   */
  flushGapMs?: number;
  /** unload a room this long after its last socket left (default 30 s) */
  idleUnloadMs?: number;
  /**
   * compact a room's log into its snapshot at this many rows (default 10,000); by default
   * the size rule (log bytes ≥ snapshot bytes, at a quiet moment) comes first
   */
  compactEvery?: number;
  maxFrameBytes?: number;
  maxDocBytes?: number;
  /** messages per second per connection before RATE_LIMITED (burst allowed) */
  maxMessagesPerSecond?: number;
  /** keepalive: ping every socket this often, drop those that missed the last ping (30 s) */
  pingIntervalMs?: number;
  /** persistence (default: SQLite on `sqlite`); a Postgres store would plug in here */
  store?: DocStore;
}

export interface PostMessageInput {
  kind?: MessageKind;
  text?: string;
  replyTo?: MessageId;
  attachment?: Attachment;
}

/** Something was written to a group (drives unread hints on the per-user event channel). */
export interface RoomActivity {
  groupId: GroupId;
  /** who wrote it: the new message's author, or who edited or deleted it */
  authorId: UserId;
  messageId?: MessageId;
  /** an existing message was edited or deleted (no new message) */
  change?: 'edit' | 'delete';
  /** usernames the new message mentions (lower case) */
  mentions?: string[];
  at: number;
}

export interface ReleasedAttachment {
  groupId: GroupId;
  userId: UserId;
  sha256: string;
}

export interface Relay {
  /** Call from the HTTP server's 'upgrade' event for paths under /sync/. */
  handleUpgrade(req: IncomingMessage, socket: Duplex, head: Buffer): void;
  /** Write a message into the group document as `userId` (message API, assistant). */
  postMessage(groupId: GroupId, userId: UserId, input: PostMessageInput): Promise<MessageRecord>;
  /**
   * Replace the text of `userId`'s own message (an entry in the edits map), as a streamed
   * answer does; MessageNotFoundError for a deleted or someone else's message.
   */
  editMessage(groupId: GroupId, userId: UserId, messageId: MessageId, text: string): Promise<void>;
  /** Delete a message as its author, or as a moderator (`moderator`: the caller checked). */
  deleteMessage(
    groupId: GroupId,
    userId: UserId,
    messageId: MessageId,
    moderator: boolean,
  ): Promise<void>;
  /** Read messages (not deleted), oldest first. */
  listMessages(
    groupId: GroupId,
    options: { limit: number; before?: MessageId },
  ): Promise<ListMessagesResponse>;
  /** Close every socket of a user (ban, password change), except those of one session. */
  closeUser(userId: UserId, code: number, reason: string, exceptSessionId?: string): void;
  /** The sockets of session `from` continue as session `to` (password change on this device). */
  renameSession(from: string, to: string): void;
  /** Close the sockets opened with one session (logout). */
  closeSession(sessionId: string, code: number, reason: string): void;
  /** Close one user's sockets in one group (removed, left). */
  closeMember(groupId: GroupId, userId: UserId, code: number, reason: string): void;
  onActivity(listener: (activity: RoomActivity) => void): () => void;
  /**
   * A deletion being stored takes the last live message of `userId` in `groupId` carrying
   * file `sha256` (its reference in the blob store can go). Called synchronously inside the
   * transaction that stores the deletion, so writes to the relay's database commit with it.
   */
  onAttachmentReleased(listener: (released: ReleasedAttachment) => void): () => void;
  stats(): { openRooms: number; connections: number };
  /** Persist everything pending. */
  flush(): Promise<void>;
  /** Flush, close all sockets with GOING_AWAY, unload rooms. */
  close(): Promise<void>;
}
