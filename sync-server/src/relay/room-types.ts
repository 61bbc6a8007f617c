// What a Room needs from the relay, and what it hands to the flush pipeline.
import type { Logger } from '../log.js';
import type { RelayAccess } from './relay-types.js';
import type { RoomGuardFactory } from './update-guard.js';
import type { RoomWrite } from './doc-store.js';
import type { NewMessage } from './room-message-events.js';
import type { Deferred } from './deferred.js';
import type { Room } from './room.js';
import type { DeletedAttachment } from './deleted-attachments.js';

export interface RoomDeps {
  log: Logger;
  access: RelayAccess;
  guardFactory: RoomGuardFactory | null;
  maxDocBytes: number;
  /** the room has something to store: schedule a flush */
  onDirty(room: Room): void;
  /** the stored document could not be built: the relay forgets and destroys the room */
  onBroken(room: Room, error: Error): void;
  /**
   * false when this group's stored document failed to build before: serve nothing until it
   * has been built, instead of sending its snapshot bytes unchecked to new clients
   */
  coldReplies: boolean;
}

/** What a room hands to the flush: the store write plus what to do after the commit. */
export interface RoomBatch {
  room: Room;
  write: RoomWrite;
  origins: Set<unknown>;
  messages: NewMessage[];
  /** files of messages this batch deleted (their references may go once it is stored) */
  deletedAttachments: DeletedAttachment[];
  /**
   * state vector of the doc when the batch was taken = what is stored after the commit;
   * null when no peer wanted ACKs then (it costs a walk over every client of the doc)
   */
  stateVector: Uint8Array | null;
  bytes: number;
  done: Deferred;
}

export interface RoomSnapshot {
  data: Uint8Array;
  /** newest log row folded into the snapshot */
  upToId: number;
  rows: number;
  /** log bytes folded into the snapshot */
  logBytes: number;
  bytesBefore: number;
}
