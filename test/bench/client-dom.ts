// The few browser APIs the client benchmark's in-page functions use, typed locally: the test
// project compiles without the DOM lib (adding it would retype fetch bodies for every test).
// In-page code reads them as `globalThis as unknown as BrowserGlobals` (types only: a
// function sent to the page cannot import anything).

export interface DomElement {
  getAttribute(name: string): string | null;
  querySelector(selector: string): DomElement | null;
  querySelectorAll(selector: string): ArrayLike<DomElement>;
  textContent: string | null;
  dispatchEvent(event: unknown): boolean;
}

interface EntryList {
  getEntries(): { name: string; startTime: number; duration: number }[];
}

export interface IdbRequest<T> {
  result: T;
  error: unknown;
  onsuccess: (() => void) | null;
  onerror: (() => void) | null;
}

export interface IdbDatabase {
  objectStoreNames: { contains(name: string): boolean };
  transaction(store: string): {
    objectStore(name: string): {
      count(key?: string): IdbRequest<number>;
      get(key?: string): IdbRequest<unknown>;
    };
  };
  close(): void;
}

export interface BrowserGlobals {
  window: Record<string, unknown>;
  document: DomElement & { body: DomElement };
  PerformanceObserver: new (cb: (list: EntryList) => void) => {
    observe(options: { type: string; buffered?: boolean }): void;
  };
  MutationObserver: new (cb: () => void) => {
    observe(target: unknown, options: Record<string, boolean>): void;
    disconnect(): void;
  };
  indexedDB: { open(name: string): IdbRequest<IdbDatabase> };
  requestAnimationFrame: (cb: () => void) => number;
  requestIdleCallback: (cb: () => void, options?: { timeout: number }) => number;
  HTMLTextAreaElement: { prototype: object };
  KeyboardEvent: new (type: string, init: Record<string, unknown>) => unknown;
  Event: new (type: string, init: Record<string, unknown>) => unknown;
}
