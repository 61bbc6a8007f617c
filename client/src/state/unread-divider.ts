// Where "New messages" starts in an open conversation: the first message of someone else
// after my read marker as it was when the conversation opened, before this view marked
// anything read. Messages that arrive with the first sync after the open count too (the
// device was away), and so does a marker my other devices moved meanwhile (what I read
// there is not new here). After that first sync the place is fixed for as long as the
// conversation stays open; sending a message clears it, as the reply shows I have caught up.
import { createSignal } from 'solid-js';
import type { Accessor } from 'solid-js';
import { groupDoc } from '@canopy/shared';
import type { MarkerRecord, MessageId, UserId } from '@canopy/shared';
import type * as Y from 'yjs';
import { markerIndex } from '../sync/markers.js';
import type { GroupSync } from '../sync/group-sync.js';

export interface UnreadDivider {
  /** the first unread message when the conversation opened, or null */
  start: Accessor<MessageId | null>;
  /** how many messages of others were unread from there */
  count: Accessor<number>;
  /** Call once the document has loaded, before rows mark anything read. */
  loaded(): void;
  /** The conversation's status changed (the first `synced` fixes the place). */
  status(status: string): void;
  /** Messages arrived. */
  changed(): void;
  /** I sent something: there is nothing new to point at any more. */
  clear(): void;
  /** whether the divider is on screen (for a "jump to it" button while it is not) */
  inView: Accessor<boolean>;
  /** The divider's element while it is rendered; returns the function that lets it go. */
  track(el: Element): () => void;
  destroy(): void;
}

export function createUnreadDivider(sync: GroupSync, me: UserId): UnreadDivider {
  const { mirror } = sync;
  const markers = groupDoc(sync.doc).readMarkers;
  const [start, setStart] = createSignal<MessageId | null>(null);
  const [count, setCount] = createSignal(0);
  const [inView, setInView] = createSignal(false);
  let seen: IntersectionObserver | null = null;
  let opened: MarkerRecord | undefined;
  let phase: 'loading' | 'catching-up' | 'fixed' = 'loading';

  const compute = (): void => {
    const from = markerIndex(mirror, opened) + 1;
    let first: MessageId | null = null;
    let n = 0;
    for (let i = from; i < mirror.length; i++) {
      const rec = mirror.get(i);
      if (!rec || rec.authorId === me) continue;
      first ??= rec.id;
      n++;
    }
    setStart(first);
    setCount(n);
  };

  // My marker moved on another device: what I read there is not new here.
  const onMarkers = (event: Y.YMapEvent<MarkerRecord>, tr: Y.Transaction): void => {
    if (phase !== 'catching-up' || tr.local || !event.keysChanged.has(me)) return;
    const remote = markers.get(me);
    if (markerIndex(mirror, remote) > markerIndex(mirror, opened)) {
      opened = remote;
      compute();
    }
  };
  markers.observe(onMarkers);

  return {
    start,
    count,
    loaded() {
      if (phase !== 'loading') return;
      opened = markers.get(me);
      phase = sync.status() === 'synced' ? 'fixed' : 'catching-up';
      compute();
    },
    status(status) {
      if (phase === 'catching-up' && status === 'synced') {
        compute();
        phase = 'fixed';
      }
    },
    changed() {
      if (phase === 'catching-up') compute();
    },
    clear() {
      phase = 'fixed';
      setStart(null);
      setCount(0);
    },
    inView,
    track(el) {
      seen ??= new IntersectionObserver((entries) => {
        for (const entry of entries) setInView(entry.isIntersecting);
      });
      seen.observe(el);
      return () => {
        seen?.unobserve(el);
        setInView(false);
      };
    },
    destroy() {
      markers.unobserve(onMarkers);
      seen?.disconnect();
    },
  };
}
