// Attachments through the app's UI, as a user sends and sees them: pick files with the
// "Attach files" chooser, drop them on the conversation, paste them into the message box;
// wait for images to load, watch placeholders, read the stored records and set a group's
// image policy through the page's own session. No DOM lib here: callbacks type what they touch.
import { expect } from 'vitest';
import type { JSHandle, Locator, Page } from 'playwright-core';
import { UI_TIMEOUT, chatHistory } from './browser.js';

/** A file as Playwright's file inputs take it. */
export type Upload = { name: string; mimeType: string; buffer: Buffer };

/** Picks files through the composer's "Attach files" button's file chooser, as a user would. */
export async function attachFiles(page: Page, files: Upload | Upload[]): Promise<void> {
  const [chooser] = await Promise.all([
    page.waitForEvent('filechooser'),
    page.getByRole('button', { name: 'Attach files' }).click(),
  ]);
  await chooser.setFiles(files);
}

type FileSpec = { name: string; type: string; base64: string };
interface PageGlobals {
  DataTransfer: new () => { items: { add(f: unknown): void } };
  File: new (parts: unknown[], name: string, opts: { type: string }) => unknown;
  Uint8Array: typeof Uint8Array;
  atob(s: string): string;
  ClipboardEvent: new (type: string, init: object) => unknown;
  document: { querySelector(s: string): { dispatchEvent(e: unknown): boolean } | null };
}

/** A DataTransfer in the page holding `files`, as the OS hands one to a drop or a paste. */
function dataTransferOf(page: Page, files: Upload[]): Promise<JSHandle<unknown>> {
  const specs: FileSpec[] = files.map((f) => ({
    name: f.name,
    type: f.mimeType,
    base64: f.buffer.toString('base64'),
  }));
  return page.evaluateHandle((list: FileSpec[]) => {
    const g = globalThis as unknown as PageGlobals;
    const dt = new g.DataTransfer();
    for (const f of list)
      dt.items.add(
        new g.File([g.Uint8Array.from(g.atob(f.base64), (c) => c.charCodeAt(0))], f.name, {
          type: f.type,
        }),
      );
    return dt;
  }, specs);
}

/** Drops files onto the conversation the way a drag from the desktop does. */
export async function dropFiles(page: Page, files: Upload[]): Promise<void> {
  const dataTransfer = await dataTransferOf(page, files);
  const target = page.getByRole('region', { name: /^Conversation: / });
  await target.dispatchEvent('dragenter', { dataTransfer });
  await target.dispatchEvent('dragover', { dataTransfer });
  await target.dispatchEvent('drop', { dataTransfer });
}

/** Pastes files into the message box, as pasting a screenshot does. */
export async function pasteFiles(page: Page, files: Upload[]): Promise<void> {
  const dataTransfer = await dataTransferOf(page, files);
  await page.evaluate((dt) => {
    const g = globalThis as unknown as PageGlobals;
    const box = g.document.querySelector('textarea[aria-label="Message"]');
    box?.dispatchEvent(
      new g.ClipboardEvent('paste', { clipboardData: dt, bubbles: true, cancelable: true }),
    );
  }, dataTransfer);
}

interface ImageLoad {
  src: string;
  placeholderShown: boolean;
}
interface LoadLog {
  canopyImageLoads?: ImageLoad[];
}

/**
 * An init script (context.addInitScript), run in the page before the app: for each full
 * attachment image that finishes loading, records whether its thumbhash placeholder was
 * already in the document at that moment. Read the records with imageLoads().
 */
export function recordImageLoads(): void {
  const w = globalThis as unknown as LoadLog & {
    document: {
      addEventListener(type: string, fn: (e: { target: unknown }) => void, capture: boolean): void;
    };
  };
  w.canopyImageLoads = [];
  w.document.addEventListener(
    'load',
    (e) => {
      const img = e.target as {
        classList?: { contains(c: string): boolean };
        currentSrc: string;
        parentElement: { querySelector(s: string): { complete: boolean } | null } | null;
      };
      if (!img.classList?.contains('attachment-full')) return;
      const placeholder = img.parentElement?.querySelector('img[data-placeholder]');
      w.canopyImageLoads?.push({
        src: img.currentSrc,
        placeholderShown: placeholder?.complete === true,
      });
    },
    true,
  );
}

/** The loads recordImageLoads saw so far in this page. */
export function imageLoads(page: Page): Promise<ImageLoad[]> {
  return page.evaluate(() => (globalThis as LoadLog).canopyImageLoads ?? []);
}

/** The article of the (only) message holding an image whose name starts with `stem`. */
export function imageMessage(page: Page, stem: string): Locator {
  return chatHistory(page)
    .getByRole('article')
    .filter({ has: page.getByRole('img', { name: new RegExp(`^${stem}\\.`) }) });
}

export interface LoadedImage {
  complete: boolean;
  naturalWidth: number;
  naturalHeight: number;
  src: string;
  currentSrc: string;
}

/** An image once loaded: its natural size and where it came from. */
export async function loadedImage(img: Locator): Promise<LoadedImage> {
  await expect
    .poll(() => img.evaluate((el: LoadedImage) => el.complete && el.naturalWidth > 0), {
      timeout: UI_TIMEOUT,
    })
    .toBe(true);
  return img.evaluate((el: LoadedImage) => ({
    complete: el.complete,
    naturalWidth: el.naturalWidth,
    naturalHeight: el.naturalHeight,
    src: el.src,
    currentSrc: el.currentSrc,
  }));
}

/** The full image of an attachment message, once loaded. */
export function fullImageLoaded(message: Locator): Promise<LoadedImage> {
  return loadedImage(message.locator('img.attachment-full'));
}

/** The fields of a stored message record the attachment tests read. */
export interface RecordLike {
  kind: string;
  attachment?: {
    mime: string;
    size: number;
    name?: string;
    width?: number;
    thumbhash?: string;
    labels?: Record<string, number>;
    blurred?: boolean;
  };
}

/** The group open on the page, from its /g/<id> address. */
const openGroupId = (page: Page): string => new URL(page.url()).pathname.split('/')[2] ?? '';

/** The newest messages of the page's open group, through the HTTP message API. */
export async function lastMessages(page: Page, limit: number): Promise<RecordLike[]> {
  return page.evaluate(
    async ([id, n]) => {
      const g = globalThis as unknown as {
        fetch(u: string): Promise<{ json(): Promise<{ messages: RecordLike[] }> }>;
      };
      return (await (await g.fetch(`/api/groups/${id}/messages?limit=${n}`)).json()).messages;
    },
    [openGroupId(page), limit] as const,
  );
}

/** Sets the open group's name and image policy in one change, as its owner, from the page. */
export async function setPolicy(page: Page, name: string, imagePolicy: unknown): Promise<void> {
  const status = await page.evaluate(
    async ([id, body]) => {
      const g = globalThis as unknown as {
        fetch(u: string, init: object): Promise<{ status: number }>;
      };
      const res = await g.fetch(`/api/groups/${id}`, {
        method: 'PATCH',
        headers: { 'content-type': 'application/json' },
        body,
      });
      return res.status;
    },
    [openGroupId(page), JSON.stringify({ name, imagePolicy })] as const,
  );
  expect(status).toBe(200);
  // The new name on screen means the workspace has the group with its new policy too.
  await page.getByRole('heading', { name, exact: true }).waitFor();
}
