// Keeps appending to a group's message list cheap after changes from elsewhere. Yjs finds an
// index in a Y.Array from search markers it caches, and drops them all after any transaction
// that did not start on this device (a message from someone else, the local copy's load, a
// sync). The next insert at the end then walks the whole list from its start (~1 ms at 100k
// messages), and on this device that insert is a send. Reading the last element does the walk
// once and leaves a marker at the end, so `keepAppendFast` does that when the page is idle
// after such a transaction, before the user has had time to answer.
import type * as Y from 'yjs';

export type IdleScheduler = (run: () => void) => () => void;

/** requestIdleCallback where there is one (at most 500 ms late), else a short timer. */
export const whenIdle: IdleScheduler = (run) => {
  if (typeof requestIdleCallback === 'function') {
    const id = requestIdleCallback(run, { timeout: 500 });
    return () => cancelIdleCallback(id);
  }
  const timer = setTimeout(run, 50);
  return () => clearTimeout(timer);
};

export function keepAppendFast<T>(list: Y.Array<T>, schedule = whenIdle): () => void {
  let cancel: (() => void) | null = null;
  const warm = (): void => {
    cancel = null;
    if (list.length > 0) list.get(list.length - 1);
  };
  const onChange = (event: Y.YArrayEvent<T>): void => {
    if (event.transaction.local || cancel) return;
    cancel = schedule(warm);
  };
  list.observe(onChange);
  return () => {
    list.unobserve(onChange);
    cancel?.();
    cancel = null;
  };
}
