// A bottom-anchored virtual list for chat: only the rows in (and near) the viewport exist in
// the DOM. Heights are estimated, then measured with a ResizeObserver into a HeightIndex
// (Fenwick tree), so offsets and hit tests stay O(log n) at 100k rows. While the user is at
// the bottom it stays pinned there; a row above the viewport that changes height shifts the
// scroll position by the same amount so what is on screen does not jump.
import { For, createEffect, createMemo, createSignal, on, onCleanup, onMount } from 'solid-js';
import type { Accessor, JSX } from 'solid-js';
import { HeightIndex } from './height-index.js';

export interface VirtualListProps {
  count: Accessor<number>;
  /** Bumps when the rows were replaced wholesale (indices no longer mean the same rows). */
  resetKey: Accessor<number>;
  estimate?: number;
  overscan?: number;
  label: string;
  renderRow: (index: number) => JSX.Element;
  /** Called with the last fully visible row whenever the visible range changes. */
  onVisibleEnd?: (lastVisible: number, pinned: boolean) => void;
  /** Called with a function that scrolls to the bottom, for a "jump to newest" button. */
  controls?: (c: {
    scrollToBottom(): void;
    /** Scrolls row `index` into view (a third from the top) and unpins the list. */
    scrollToIndex(index: number): void;
    pinned: Accessor<boolean>;
  }) => void;
}

export function VirtualList(props: VirtualListProps): JSX.Element {
  // Sizing is fixed for the list's life.
  const estimate = props.estimate ?? 64; // eslint-disable-line solid/reactivity
  const overscan = props.overscan ?? 600; // eslint-disable-line solid/reactivity
  const heights = new HeightIndex(estimate);
  const [version, setVersion] = createSignal(0);
  const [scrollTop, setScrollTop] = createSignal(0);
  const [viewport, setViewport] = createSignal(0);
  const [pinned, setPinned] = createSignal(true);
  let scroller!: HTMLDivElement;
  const bump = (): void => void setVersion((v) => v + 1);

  // From the height index, not from scrollHeight: reading layout right after a change would
  // force a synchronous layout inside every send and every incoming message.
  const applyBottom = (): void => {
    const top = Math.max(0, heights.total - viewport());
    scroller.scrollTop = top;
    setScrollTop(top);
  };
  // Pins the list to the newest row (a send, "Jump to newest"). The rows to show follow at
  // once; the scroll position is written in the next frame, because writing it inside a key
  // handler forces a layout that the frame would then do again.
  let bottomFrame = 0;
  const scrollToBottom = (): void => {
    setPinned(true);
    setScrollTop(Math.max(0, heights.total - viewport()));
    if (bottomFrame) return;
    bottomFrame = requestAnimationFrame(() => {
      bottomFrame = 0;
      bottomIfPinned();
    });
  };
  onCleanup(() => cancelAnimationFrame(bottomFrame));
  // After a change of rows, a pinned list follows the bottom right after this update (the
  // list's height is set by then), not in the next frame: new rows arrive in a frame
  // callback already, and a scroll event read against the old position would unpin the list.
  const bottomIfPinned = (): void => {
    if (pinned()) applyBottom();
  };
  const followBottom = (): void => {
    if (pinned()) queueMicrotask(bottomIfPinned);
  };
  /** Height of the newest row measured so far: the best guess for the next one. */
  let newestMeasured: { index: number; height: number } | null = null;

  const scrollToIndex = (index: number): void => {
    const top = Math.max(0, heights.prefix(index) - Math.floor(viewport() / 3));
    setPinned(false);
    scroller.scrollTop = top;
    setScrollTop(top);
  };

  // Keep the height index sized to the list; appends extend it, resets rebuild it.
  createEffect(
    on(
      () => props.resetKey(),
      () => {
        heights.rebuild(props.count(), () => undefined);
        newestMeasured = null;
        bump();
        // Rows replaced wholesale (the cached tail gave way to the document): go to the new
        // bottom, whatever rows happen to be rendered and measured.
        followBottom();
      },
    ),
  );
  createEffect(
    on(
      () => props.count(),
      (n) => {
        if (n === heights.length) return;
        const guess = newestMeasured?.height;
        heights.resize(n, n > heights.length && guess !== undefined ? () => guess : undefined);
        bump();
        followBottom();
      },
    ),
  );

  const range = createMemo(() => {
    version();
    const n = heights.length;
    if (n === 0) return { start: 0, end: 0 };
    const top = Math.max(0, scrollTop() - overscan);
    const bottom = scrollTop() + viewport() + overscan;
    const start = Math.max(0, heights.indexAt(top));
    const end = Math.min(n, heights.indexAt(bottom) + 1);
    return { start, end };
  });
  const indices = createMemo(
    () => {
      const { start, end } = range();
      const out: number[] = [];
      for (let i = start; i < end; i++) out.push(i);
      return out;
    },
    [],
    { equals: (a, b) => a.length === b.length && a[0] === b[0] },
  );

  const observed = new Map<Element, number>();
  const resizer = new ResizeObserver((entries) => {
    let changed = false;
    let anchorShift = 0;
    for (const entry of entries) {
      const i = observed.get(entry.target);
      if (i === undefined || i >= heights.length) continue;
      const h = entry.borderBoxSize[0]?.blockSize ?? (entry.target as HTMLElement).offsetHeight;
      if (h <= 0) continue;
      if (newestMeasured === null || i >= newestMeasured.index)
        newestMeasured = { index: i, height: h };
      const top = heights.prefix(i);
      const delta = heights.set(i, h);
      if (delta !== 0) {
        changed = true;
        if (top < scroller.scrollTop) anchorShift += delta;
      }
    }
    if (!changed) return;
    bump();
    // Layout is fresh inside a ResizeObserver callback: write the position now, so this
    // frame paints the list at the bottom.
    if (pinned()) applyBottom();
    else if (anchorShift !== 0) {
      // Layout is fresh inside a ResizeObserver callback, so reading scrollTop is cheap here.
      scroller.scrollTop += anchorShift;
      setScrollTop(scroller.scrollTop);
    }
  });

  const measure = (el: HTMLElement, index: number): void => {
    observed.set(el, index);
    resizer.observe(el);
    onCleanup(() => {
      observed.delete(el);
      resizer.unobserve(el);
    });
  };

  const onScroll = (): void => {
    const st = scroller.scrollTop;
    setScrollTop(st);
    setPinned(st + scroller.clientHeight >= scroller.scrollHeight - 8);
  };

  onMount(() => {
    const ro = new ResizeObserver(() => {
      setViewport(scroller.clientHeight);
      if (pinned()) scrollToBottom();
    });
    ro.observe(scroller);
    setViewport(scroller.clientHeight);
    scrollToBottom();
    props.controls?.({ scrollToBottom, scrollToIndex, pinned });
    onCleanup(() => {
      ro.disconnect();
      resizer.disconnect();
    });
  });

  createEffect(() => {
    const { start, end } = range();
    version();
    if (end === 0 || !props.onVisibleEnd) return;
    // Last row whose bottom is inside the viewport.
    const bottom = scrollTop() + viewport();
    let last = Math.min(end - 1, heights.indexAt(bottom));
    if (heights.prefix(last + 1) > bottom + 1) last -= 1;
    props.onVisibleEnd(Math.max(start, last), pinned());
  });

  return (
    <div
      ref={scroller}
      class="vlist"
      role="log"
      aria-label={props.label}
      tabIndex={0}
      onScroll={onScroll}
    >
      <div class="vlist-inner" role="list" style={{ height: `${(version(), heights.total)}px` }}>
        <For each={indices()}>
          {(i) => (
            <div
              class="vlist-row"
              role="listitem"
              ref={(el) => measure(el, i)}
              style={{ transform: `translateY(${(version(), heights.prefix(i))}px)` }}
            >
              {props.renderRow(i)}
            </div>
          )}
        </For>
      </div>
    </div>
  );
}
