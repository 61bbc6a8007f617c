// What I typed into a conversation's composer and did not send: kept on this device per
// conversation (a reload, a switch to another conversation or a closed tab loses nothing),
// shown in the sidebar as "Draft: …" and put back into the composer when I return. Typing
// only touches a plain map and a timer; the sidebar's copy changes when I leave the
// conversation, so no keystroke re-renders anything outside the composer.
// Must be created inside a Solid owner (it registers cleanups).
import { onCleanup } from 'solid-js';
import { createStore, reconcile } from 'solid-js/store';
import type { GroupId, User } from '@canopy/shared';
import { z } from 'zod';
import type { KvStore } from '../sync/idb-kv.js';
import { log } from '../log.js';

const logger = log.child('drafts');

/** how long typing pauses before the drafts are written */
const SAVE_AFTER_MS = 400;
/** a draft longer than this is kept cut (the composer's own cap is far above any draft) */
const MAX_DRAFT_CHARS = 20_000;
const draftsSchema = z.record(z.string(), z.string());

export interface Drafts {
  /** The kept draft of a conversation as of the last time I left it (reactive). */
  text(id: GroupId): string | undefined;
  /** The composer's text changed (written after a pause; empty removes the draft). */
  typed(id: GroupId, text: string): void;
  /** I leave the conversation: write now, and the sidebar shows the draft. */
  leave(id: GroupId): void;
}

export function createDrafts(me: User, kv: KvStore): Drafts {
  const key = `drafts:${me.id}`;
  const [shown, setShown] = createStore<Record<string, string | undefined>>({});
  let loaded = false;
  /** typed since the conversation was entered, not yet shown */
  const live = new Map<GroupId, string>();
  const kept = (): Record<string, string> => {
    const all: Record<string, string> = {};
    for (const [id, text] of Object.entries(shown)) if (text) all[id] = text;
    for (const [id, text] of live) {
      if (text.trim()) all[id] = text.slice(0, MAX_DRAFT_CHARS);
      else delete all[id];
    }
    return all;
  };

  let timer: ReturnType<typeof setTimeout> | undefined;
  const save = (): void => {
    clearTimeout(timer);
    timer = undefined;
    // Before the load, a write would drop the stored drafts of other conversations.
    if (!loaded) return;
    kv.set(key, kept()).catch((err: unknown) => {
      logger.warn('cannot keep drafts', { err: String(err) });
    });
  };

  void kv
    .get(key)
    .then((raw) => {
      const parsed = draftsSchema.safeParse(raw ?? {});
      if (!parsed.success) logger.warn('stored drafts have an unexpected shape; ignoring them');
      // Drafts of conversations left before the read stay as they were left.
      setShown(reconcile({ ...(parsed.success ? parsed.data : {}), ...shown }));
    })
    .catch((err: unknown) => logger.warn('cannot read drafts', { err: String(err) }))
    .finally(() => {
      loaded = true;
      if (live.size > 0) save();
    });

  const onHide = (): void => {
    if (timer !== undefined) save();
  };
  window.addEventListener('pagehide', onHide);
  onCleanup(() => {
    onHide();
    window.removeEventListener('pagehide', onHide);
  });

  return {
    text: (id) => shown[id],
    typed(id, text) {
      live.set(id, text);
      clearTimeout(timer);
      timer = setTimeout(save, SAVE_AFTER_MS);
    },
    leave(id) {
      const text = live.get(id);
      if (text === undefined) return;
      live.delete(id);
      setShown(id, text.trim() ? text.slice(0, MAX_DRAFT_CHARS) : undefined);
      save();
    },
  };
}
