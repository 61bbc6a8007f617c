// When the device's copy of a group folds its update log into one snapshot. y-indexeddb
// does it one second after its 500th stored update, and folding re-encodes the whole
// document on the main thread (~0.3 s at 100k messages): a freeze in the middle of a busy
// conversation. Here it happens while nobody looks, when the tab is hidden; a tab that
// stays visible still folds past a hard bound, at an idle moment.
import { PREFERRED_TRIM_SIZE, storeState } from 'y-indexeddb';
import type { IndexeddbPersistence } from 'y-indexeddb';
import { log } from '../log.js';

const logger = log.child('local-fold');
/** the longest timer delay: y-indexeddb's own fold timer never fires */
const NEVER_MS = 2 ** 31 - 1;
/** stored updates past which a visible tab folds anyway (each costs a little on open) */
const HARD_BOUND = 10 * PREFERRED_TRIM_SIZE;

/** Takes over folding for `persistence`; returns the function that stops it. */
export function foldWhenHidden(persistence: IndexeddbPersistence): () => void {
  persistence._storeTimeout = NEVER_MS;
  let folding = false;
  const fold = (): void => {
    if (folding || persistence._destroyed || persistence._dbsize < PREFERRED_TRIM_SIZE) return;
    folding = true;
    storeState(persistence, false)
      .catch((err: unknown) => logger.warn('cannot fold the local copy', { err: String(err) }))
      .finally(() => (folding = false));
  };
  const onVisibility = (): void => {
    if (document.visibilityState === 'hidden') fold();
  };
  let idle = false;
  const onUpdate = (): void => {
    if (idle || persistence._dbsize < HARD_BOUND) return;
    idle = true;
    const run = (): void => {
      idle = false;
      fold();
    };
    if (typeof requestIdleCallback === 'function') requestIdleCallback(run, { timeout: 10_000 });
    else setTimeout(run, 1000);
  };
  document.addEventListener('visibilitychange', onVisibility);
  persistence.doc.on('update', onUpdate);
  return () => {
    document.removeEventListener('visibilitychange', onVisibility);
    persistence.doc.off('update', onUpdate);
  };
}
