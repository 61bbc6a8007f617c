// Which rooms are loaded. Concurrent joins of a room that is loading share one load; a
// failed load leaves nothing behind (the next join retries). A room with no peers is
// unloaded after `idleUnloadMs`, but only once nothing of it is waiting to be stored.
import type { GroupId } from '@canopy/shared';
import type { Logger } from '../log.js';
import type { DocStore, StoredDoc } from './doc-store.js';
import type { Room } from './room.js';

export interface RoomRegistryOptions {
  store: DocStore;
  log: Logger;
  idleUnloadMs: number;
  makeRoom(groupId: GroupId, stored: StoredDoc): Room;
  /** compact and destroy a room that went idle (the registry already forgot it) */
  unload(room: Room): Promise<void>;
}

export interface RoomRegistry {
  acquire(groupId: GroupId): Promise<Room>;
  /** A user of the room is done (peer left, HTTP read finished): maybe arm the idle timer. */
  release(room: Room): void;
  /** Forget a room without unloading it through the store (failure, shutdown). */
  forget(room: Room): void;
  rooms(): IterableIterator<Room>;
  readonly size: number;
  stop(): void;
}

export function createRoomRegistry(options: RoomRegistryOptions): RoomRegistry {
  const rooms = new Map<GroupId, Room>();
  const loading = new Map<GroupId, Promise<Room>>();
  const idle = new Map<Room, NodeJS.Timeout>();
  let stopped = false;

  const cancelIdle = (room: Room): void => {
    const timer = idle.get(room);
    if (timer) clearTimeout(timer);
    idle.delete(room);
  };

  const armIdle = (room: Room, ms: number): void => {
    cancelIdle(room);
    const timer = setTimeout(() => {
      idle.delete(room);
      if (room.destroyed || room.peers.size > 0 || rooms.get(room.groupId) !== room) return;
      if (room.dirty) {
        armIdle(room, 50); // stored within a turn; look again shortly
        return;
      }
      rooms.delete(room.groupId);
      options.unload(room).catch((err: unknown) => {
        options.log.error({ err, groupId: room.groupId }, 'unload failed');
      });
    }, ms);
    timer.unref();
    idle.set(room, timer);
  };

  return {
    acquire(groupId) {
      const room = rooms.get(groupId);
      if (room) {
        cancelIdle(room);
        return Promise.resolve(room);
      }
      let load = loading.get(groupId);
      if (!load) {
        load = options.store
          .load(groupId)
          .then((stored) => {
            if (stopped) throw new Error('the relay is closed');
            const created = options.makeRoom(groupId, stored);
            rooms.set(groupId, created);
            armIdle(created, options.idleUnloadMs);
            return created;
          })
          .finally(() => loading.delete(groupId));
        loading.set(groupId, load);
      }
      return load;
    },
    release(room) {
      if (!room.destroyed && room.peers.size === 0) armIdle(room, options.idleUnloadMs);
    },
    forget(room) {
      cancelIdle(room);
      if (rooms.get(room.groupId) === room) rooms.delete(room.groupId);
    },
    rooms: () => rooms.values(),
    get size() {
      return rooms.size;
    },
    stop() {
      stopped = true;
      for (const timer of idle.values()) clearTimeout(timer);
      idle.clear();
    },
  };
}
