// A tiny promise key-value store on IndexedDB (one database, one object store) for the
// app's own small records: cached profile, group list, users seen, outbox, acked state.
// Group documents live in their own y-indexeddb databases, not here.
const DB_NAME = 'canopy';
const STORE = 'kv';

export interface KvStore {
  get(key: string): Promise<unknown>;
  set(key: string, value: unknown): Promise<void>;
  delete(key: string): Promise<void>;
  keys(): Promise<string[]>;
}

function request<T>(req: IDBRequest<T>): Promise<T> {
  return new Promise((resolve, reject) => {
    req.onsuccess = () => resolve(req.result);
    req.onerror = () => reject(req.error ?? new Error('IndexedDB request failed'));
  });
}

export function makeIdbKv(dbName = DB_NAME): KvStore {
  let dbPromise: Promise<IDBDatabase> | null = null;
  const db = (): Promise<IDBDatabase> => {
    dbPromise ??= new Promise((resolve, reject) => {
      const open = indexedDB.open(dbName, 1);
      open.onupgradeneeded = () => open.result.createObjectStore(STORE);
      open.onsuccess = () => resolve(open.result);
      open.onerror = () => reject(open.error ?? new Error('cannot open IndexedDB'));
    });
    return dbPromise;
  };
  const tx = async (mode: IDBTransactionMode): Promise<IDBObjectStore> =>
    (await db()).transaction(STORE, mode).objectStore(STORE);
  return {
    get: async (key) => request((await tx('readonly')).get(key)) as Promise<unknown>,
    set: async (key, value) => {
      await request((await tx('readwrite')).put(value, key));
    },
    delete: async (key) => {
      await request((await tx('readwrite')).delete(key));
    },
    keys: async () => (await request((await tx('readonly')).getAllKeys())).map(String),
  };
}

/** An in-memory KvStore, for environments without IndexedDB (and for unit tests). */
export function makeMemoryKv(): KvStore {
  const map = new Map<string, unknown>();
  return {
    get: (key) => Promise.resolve(structuredClone(map.get(key))),
    set: (key, value) => {
      map.set(key, structuredClone(value));
      return Promise.resolve();
    },
    delete: (key) => {
      map.delete(key);
      return Promise.resolve();
    },
    keys: () => Promise.resolve([...map.keys()]),
  };
}
