// Scrolling through history: "virtualized so 100k messages scroll smoothly". In the open
// conversation (the document loaded, the relay synced), the message list is scrolled upwards
// by a fixed step on every animation frame, as a fast fling does (600 px per frame, about
// 36,000 px/s at 60 Hz), for a few hundred frames. Recorded in the page:
//   - the interval between animation frames (16.7 ms when every frame is on time; a frame
//     the main thread made late shows as a longer interval),
//   - long animation frames (> 50 ms, Chromium's `long-animation-frame` entries),
//   - blank frames: every fourth frame, whether the middle of the list's viewport is covered
//     by a message row after the list reacted to the scroll (a virtual list that lags shows
//     empty space there),
//   - how many rows were in the DOM (the virtual window), at most.
// Then one jump to the oldest message (as "show the original" of an old reply does): the
// time from the scroll write until the oldest row is in the DOM.
import type { Page } from 'playwright-core';
import type { BrowserGlobals } from './client-dom.js';

export interface ScrollSample {
  /** ms between consecutive animation frames */
  intervals: number[];
  /** durations of long animation frames (> 50 ms) */
  longFrames: number[];
  checks: number;
  blank: number;
  /** the frames (0 = before the first step) whose check found no row */
  blankAt: number[];
  maxRows: number;
  distancePx: number;
  /** ms from the jump's scroll write until the oldest row was in the DOM (NaN: not in 5 s) */
  jumpMs: number;
}

export const SCROLL_SETTINGS = { frames: 300, stepPx: 600 };

interface ScrollerElement {
  scrollBy(x: number, y: number): void;
  scrollTop: number;
  scrollHeight: number;
  getBoundingClientRect(): { left: number; top: number; width: number; height: number };
}

interface ScrollGlobals extends Omit<BrowserGlobals, 'requestAnimationFrame'> {
  document: BrowserGlobals['document'] & {
    elementFromPoint(x: number, y: number): { closest(s: string): unknown } | null;
  };
  requestAnimationFrame: (cb: (time: number) => void) => number;
}

/** Runs in the page: the fling, then the jump to the oldest message. */
async function scrollInPage(settings: {
  frames: number;
  stepPx: number;
  oldestId: string;
}): Promise<ScrollSample> {
  const { document, PerformanceObserver, requestAnimationFrame } =
    globalThis as unknown as ScrollGlobals;
  const scroller = document.querySelector('[role="log"]') as unknown as ScrollerElement;
  const longFrames: number[] = [];
  const observer = new PerformanceObserver((list) => {
    for (const e of list.getEntries()) longFrames.push(e.duration);
  }) as unknown as { observe(o: { type: string }): void; disconnect(): void };
  observer.observe({ type: 'long-animation-frame' });
  const times: number[] = [];
  let checks = 0;
  let blank = 0;
  const blankAt: number[] = [];
  let maxRows = 0;
  const start = scroller.scrollTop;
  await new Promise<void>((resolve) => {
    // A page that gets no animation frames (hidden) would never finish: end after 30 s.
    setTimeout(resolve, 30_000);
    let frame = 0;
    const tick = (t: number): void => {
      times.push(t);
      if (frame % 4 === 0) {
        const box = scroller.getBoundingClientRect();
        const hit = document.elementFromPoint(box.left + box.width / 2, box.top + box.height / 2);
        checks++;
        if (!hit?.closest('.vlist-row')) {
          blank++;
          blankAt.push(frame);
        }
        maxRows = Math.max(maxRows, document.querySelectorAll('.vlist-row').length);
      }
      if (frame++ >= settings.frames) {
        resolve();
        return;
      }
      scroller.scrollBy(0, -settings.stepPx);
      requestAnimationFrame(tick);
    };
    requestAnimationFrame(tick);
  });
  const distancePx = Math.abs(scroller.scrollTop - start);

  // The jump: to the very top of the list, then wait for the oldest row.
  const jumped = performance.now();
  scroller.scrollTop = -scroller.scrollHeight;
  const jumpMs = await new Promise<number>((resolve) => {
    const wait = (): void => {
      const elapsed = performance.now() - jumped;
      if (document.querySelector(`article[data-message-id="${settings.oldestId}"]`)) {
        resolve(elapsed);
        return;
      }
      if (elapsed > 5_000) {
        resolve(NaN); // printed as "-": the oldest row never came
        return;
      }
      requestAnimationFrame(wait);
    };
    wait();
  });
  observer.disconnect();
  const intervals = times.slice(1).map((t, i) => t - times[i]!);
  return { intervals, longFrames, checks, blank, blankAt, maxRows, distancePx, jumpMs };
}

/** Scrolls the open conversation of `page` (already at the bottom, document shown). */
export async function measureScroll(page: Page, oldestId: string): Promise<ScrollSample> {
  return page.evaluate(scrollInPage, { ...SCROLL_SETTINGS, oldestId });
}
