// A bottom-anchored virtual list for chat: only the rows in (and near) the viewport exist in
// the DOM. Heights are estimated, then measured with a ResizeObserver into a HeightIndex
// (Fenwick tree), so offsets and hit tests stay O(log n) at 100k rows. The scroller is a
// `column-reverse` flex box, so its scroll position counts from the bottom (0 = newest,
// negative upwards): while the user is at the bottom, new rows and rows that change height
// keep it there with no script writing the position, which would force a synchronous layout
// in every send and every incoming message. Scrolled up, a row below the viewport's top edge
// that changes height (or rows appended below) moves the position by the same amount, so
// what is on screen does not jump.
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
  /** distance of the viewport's bottom edge from the list's bottom (-scrollTop), px */
  const [fromBottom, setFromBottom] = createSignal(0);
  const [viewport, setViewport] = createSignal(0);
  const [pinned, setPinned] = createSignal(true);
  let scroller!: HTMLDivElement;
  const bump = (): void => void setVersion((v) => v + 1);
  /** The viewport's top edge, from the list's top. */
  const viewTop = (): number => Math.max(0, heights.total - viewport() - fromBottom());

  /** Moves the viewport to `distance` px from the bottom (a layout-reading write). */
  const scrollFromBottom = (distance: number): void => {
    scroller.scrollTop = -distance;
    setFromBottom(Math.max(0, -scroller.scrollTop));
  };
  // Pins the list to the newest row (a send, "Jump to newest"). At the bottom already, there
  // is nothing to write. Otherwise the position is written in the next frame: writing it
  // inside a key handler forces a layout that the frame would then do again.
  let bottomFrame = 0;
  const scrollToBottom = (): void => {
    setPinned(true);
    if (fromBottom() === 0 || bottomFrame) return;
    setFromBottom(0);
    bottomFrame = requestAnimationFrame(() => {
      bottomFrame = 0;
      if (pinned()) scrollFromBottom(0);
    });
  };
  onCleanup(() => cancelAnimationFrame(bottomFrame));
  // Scrolled up, rows added or grown below the viewport's top edge keep what is on screen.
  // The position is written once the list's new height is in the DOM (a microtask after the
  // update that changed it): written before, it would be clamped to the old height.
  let keepQueued = false;
  const writeKept = (): void => {
    keepQueued = false;
    if (!pinned()) scrollFromBottom(fromBottom());
  };
  const keepView = (shift: number): void => {
    if (shift === 0 || pinned()) return;
    setFromBottom((d) => Math.max(0, d + shift));
    if (keepQueued) return;
    keepQueued = true;
    queueMicrotask(writeKept);
  };
  /** Height of the newest row measured so far: the best guess for the next one. */
  let newestMeasured: { index: number; height: number } | null = null;

  const scrollToIndex = (index: number): void => {
    const top = Math.max(0, heights.prefix(index) - Math.floor(viewport() / 3));
    setPinned(false);
    scrollFromBottom(Math.max(0, heights.total - viewport() - top));
  };

  // Keep the height index sized to the list; appends extend it, resets rebuild it.
  createEffect(
    on(
      () => props.resetKey(),
      () => {
        heights.rebuild(props.count(), () => undefined);
        newestMeasured = null;
        bump();
        // Rows still in the DOM keep their size, so the observer would not report them
        // again: observing anew reports each one's current height.
        for (const el of observed.keys()) {
          resizer.unobserve(el);
          resizer.observe(el);
        }
      },
    ),
  );
  createEffect(
    on(
      () => props.count(),
      (n) => {
        if (n === heights.length) return;
        const before = heights.total;
        const guess = newestMeasured?.height;
        heights.resize(n, n > heights.length && guess !== undefined ? () => guess : undefined);
        bump();
        // Rows come and go at the end, below the viewport's top edge.
        keepView(heights.total - before);
      },
    ),
  );

  const range = createMemo(() => {
    version();
    const n = heights.length;
    if (n === 0) return { start: 0, end: 0 };
    const top = Math.max(0, viewTop() - overscan);
    const bottom = viewTop() + viewport() + overscan;
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
    let shift = 0;
    const top = viewTop();
    for (const entry of entries) {
      const i = observed.get(entry.target);
      if (i === undefined || i >= heights.length) continue;
      const h = entry.borderBoxSize[0]?.blockSize ?? (entry.target as HTMLElement).offsetHeight;
      if (h <= 0) continue;
      if (newestMeasured === null || i >= newestMeasured.index)
        newestMeasured = { index: i, height: h };
      const rowTop = heights.prefix(i);
      const delta = heights.set(i, h);
      if (delta !== 0) {
        changed = true;
        if (rowTop >= top) shift += delta;
      }
    }
    if (!changed) return;
    bump();
    keepView(shift);
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
    // A jump to the newest row is written in the next frame; the event of an earlier write
    // (a kept position, a jump to a message) must not take back the pin meanwhile.
    if (bottomFrame) return;
    const distance = Math.max(0, -scroller.scrollTop);
    setFromBottom(distance);
    setPinned(distance <= 8);
  };

  onMount(() => {
    const ro = new ResizeObserver(() => setViewport(scroller.clientHeight));
    ro.observe(scroller);
    setViewport(scroller.clientHeight);
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
    const bottom = viewTop() + viewport();
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
