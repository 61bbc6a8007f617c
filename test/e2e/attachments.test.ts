// Attachments in the browser, two users against the real server: an image (checked on the
// sender's device by the real classifier, sent downscaled with a thumbhash) and a PDF; the
// reader sees the placeholder before the full image, downloads the PDF byte for byte, and
// still sees the image offline (service worker cache). A file attached offline waits in the
// persisted upload queue across a reload, shown as pending, and arrives once on reconnect.
import { readFile } from 'node:fs/promises';
import { crc32, deflateSync } from 'node:zlib';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Locator, Page } from 'playwright-core';
import type { AppUser } from '../utils/browser.js';
import { seededRandom } from '../utils/seeded-random.js';
import { startTestServer } from '../utils/start-server.js';
import type { TestServer } from '../utils/start-server.js';
import {
  UI_TIMEOUT,
  chatHistory,
  createGroup,
  goOffline,
  goOnline,
  launchBrowser,
  messageRow,
  newUserContext,
  openConversation,
  sendMessage,
  signUp,
  signUpIn,
  waitForServiceWorker,
} from '../utils/browser.js';

const MAX_UPLOAD = 2 * 1024 * 1024;
let server: TestServer;
let browser: Browser;

beforeAll(async () => {
  // A small upload limit, so the local size check can be seen refusing a file.
  server = await startTestServer({ scope: 'file', env: { MAX_UPLOAD_BYTES: String(MAX_UPLOAD) } });
  browser = await launchBrowser();
});

/** A photo-like PNG: colour gradients with noise (so it compresses like a photo, not a logo). */
function photoPng(width: number, height: number): Buffer {
  const rand = seededRandom(7);
  const row = width * 3 + 1;
  const raw = Buffer.alloc(row * height);
  for (let y = 0; y < height; y++) {
    raw[y * row] = 0; // filter: none
    for (let x = 0; x < width; x++) {
      const noise = (): number => rand.int(-24, 24);
      const at = y * row + 1 + x * 3;
      raw[at] = Math.max(0, Math.min(255, Math.round((x / width) * 230) + noise()));
      raw[at + 1] = Math.max(0, Math.min(255, Math.round((y / height) * 200) + noise()));
      raw[at + 2] = Math.max(0, Math.min(255, 140 + noise()));
    }
  }
  const chunk = (type: string, data: Buffer): Buffer => {
    const body = Buffer.concat([Buffer.from(type, 'ascii'), data]);
    const len = Buffer.alloc(4);
    len.writeUInt32BE(data.length);
    const crc = Buffer.alloc(4);
    crc.writeUInt32BE(crc32(body));
    return Buffer.concat([len, body, crc]);
  };
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(width, 0);
  ihdr.writeUInt32BE(height, 4);
  ihdr.set([8, 2, 0, 0, 0], 8); // 8-bit RGB, no interlace
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', ihdr),
    chunk('IDAT', deflateSync(raw)),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

/** A small valid one-page PDF with a correct cross-reference table. */
function tinyPdf(): Buffer {
  const objects = [
    '<< /Type /Catalog /Pages 2 0 R >>',
    '<< /Type /Pages /Kids [3 0 R] /Count 1 >>',
    '<< /Type /Page /Parent 2 0 R /MediaBox [0 0 200 200] >>',
  ];
  let out = '%PDF-1.4\n';
  const offsets: number[] = [];
  objects.forEach((body, i) => {
    offsets.push(out.length);
    out += `${i + 1} 0 obj\n${body}\nendobj\n`;
  });
  const xref = out.length;
  out += `xref\n0 ${objects.length + 1}\n0000000000 65535 f \n`;
  for (const o of offsets) out += `${String(o).padStart(10, '0')} 00000 n \n`;
  out += `trailer\n<< /Size ${objects.length + 1} /Root 1 0 R >>\nstartxref\n${xref}\n%%EOF\n`;
  return Buffer.from(out, 'latin1');
}

/** A quarter second of a 440 Hz tone: 8 kHz, mono, 16-bit PCM WAV. */
function toneWav(): Buffer {
  const rate = 8000;
  const samples = rate / 4;
  const data = Buffer.alloc(samples * 2);
  for (let i = 0; i < samples; i++)
    data.writeInt16LE(Math.round(Math.sin((2 * Math.PI * 440 * i) / rate) * 12000), i * 2);
  const header = Buffer.alloc(44);
  header.write('RIFF', 0, 'ascii');
  header.writeUInt32LE(36 + data.length, 4);
  header.write('WAVEfmt ', 8, 'ascii');
  header.writeUInt32LE(16, 16); // fmt chunk size
  header.writeUInt16LE(1, 20); // PCM
  header.writeUInt16LE(1, 22); // mono
  header.writeUInt32LE(rate, 24);
  header.writeUInt32LE(rate * 2, 28); // byte rate
  header.writeUInt16LE(2, 32); // block align
  header.writeUInt16LE(16, 34); // bits per sample
  header.write('data', 36, 'ascii');
  header.writeUInt32LE(data.length, 40);
  return Buffer.concat([header, data]);
}

type Upload = { name: string; mimeType: string; buffer: Buffer };

/** Picks files through the "Attach files" button's file chooser, as a user would. */
async function attachFiles(page: Page, files: Upload[]): Promise<void> {
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

const toSpecs = (files: Upload[]): FileSpec[] =>
  files.map((f) => ({ name: f.name, type: f.mimeType, base64: f.buffer.toString('base64') }));

/** Drops files onto the conversation the way a drag from the desktop does. */
async function dropFiles(page: Page, files: Upload[]): Promise<void> {
  const specs = toSpecs(files);
  const dataTransfer = await page.evaluateHandle((list: FileSpec[]) => {
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
  const target = page.getByRole('region', { name: /^Conversation: / });
  await target.dispatchEvent('dragenter', { dataTransfer });
  await target.dispatchEvent('dragover', { dataTransfer });
  await target.dispatchEvent('drop', { dataTransfer });
}

/** Pastes files into the message box, as pasting a screenshot does. */
async function pasteFiles(page: Page, files: Upload[]): Promise<void> {
  const specs = toSpecs(files);
  await page.evaluate((list: FileSpec[]) => {
    const g = globalThis as unknown as PageGlobals;
    const dt = new g.DataTransfer();
    for (const f of list)
      dt.items.add(
        new g.File([g.Uint8Array.from(g.atob(f.base64), (c) => c.charCodeAt(0))], f.name, {
          type: f.type,
        }),
      );
    const box = g.document.querySelector('textarea[aria-label="Message"]');
    box?.dispatchEvent(
      new g.ClipboardEvent('paste', { clipboardData: dt, bubbles: true, cancelable: true }),
    );
  }, specs);
}

// The test project has no DOM lib: the browser-side callbacks type what they touch.
interface ImageElement {
  complete: boolean;
  naturalWidth: number;
  currentSrc: string;
}
interface LoadLog {
  canopyImageLoads?: { src: string; placeholderShown: boolean }[];
}

/**
 * Runs in the page before the app: for each full attachment image that finishes loading,
 * records whether its thumbhash placeholder was already in the document at that moment.
 */
function recordImageLoads(): void {
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

/** The article of the (only) message holding an image whose name starts with `stem`. */
function imageMessage(page: Page, stem: string): Locator {
  return chatHistory(page)
    .getByRole('article')
    .filter({ has: page.getByRole('img', { name: new RegExp(`^${stem}\\.`) }) });
}

async function fullImageLoaded(message: Locator): Promise<ImageElement> {
  const img = message.locator('img.attachment-full');
  await expect
    .poll(() => img.evaluate((el: ImageElement) => el.complete && el.naturalWidth > 0), {
      timeout: UI_TIMEOUT,
    })
    .toBe(true);
  return img.evaluate((el: ImageElement) => ({
    complete: el.complete,
    naturalWidth: el.naturalWidth,
    currentSrc: el.currentSrc,
  }));
}

interface RecordLike {
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

/** The newest messages of the page's open group, through the HTTP message API. */
async function lastMessages(page: Page, limit: number): Promise<RecordLike[]> {
  const groupId = new URL(page.url()).pathname.split('/')[2] ?? '';
  return page.evaluate(
    async ([id, n]) => {
      const g = globalThis as unknown as {
        fetch(u: string): Promise<{ json(): Promise<{ messages: RecordLike[] }> }>;
      };
      return (await (await g.fetch(`/api/groups/${id}/messages?limit=${n}`)).json()).messages;
    },
    [groupId, limit] as const,
  );
}

/** Sets the open group's name and image policy in one change, as its owner, from the page. */
async function setPolicy(page: Page, name: string, imagePolicy: unknown): Promise<void> {
  const groupId = new URL(page.url()).pathname.split('/')[2] ?? '';
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
    [groupId, JSON.stringify({ name, imagePolicy })] as const,
  );
  expect(status).toBe(200);
  // The new name on screen means the workspace has the group with its new policy too.
  await page.getByRole('heading', { name, exact: true }).waitFor();
}

/** Ana and Ben, each on the screen of a new group of the two. */
async function twoUsersIn(title: string): Promise<{ ana: AppUser; ben: AppUser }> {
  const ana = await signUp(browser, server.url, 'Ana');
  const ben = await signUp(browser, server.url, 'Ben');
  await createGroup(ana, title, [ben]);
  await openConversation(ben.page, title);
  return { ana, ben };
}

describe('attachments', () => {
  it('sends an image and a PDF: placeholder first, then the image; the PDF downloads intact', async () => {
    const ana = await signUp(browser, server.url, 'Ana');
    const benTab = await newUserContext(browser, { acceptDownloads: true });
    await benTab.context.addInitScript(recordImageLoads);
    const ben = await signUpIn(benTab, server.url, 'Ben');
    // Ben's page becomes controlled by the service worker after one reload, so the blob
    // fetches below go through its CacheFirst route.
    await waitForServiceWorker(ben.page);
    await ben.page.reload();
    await createGroup(ana, 'Album', [ben]);
    await openConversation(ben.page, 'Album');

    const png = photoPng(1200, 800);
    const pdf = tinyPdf();
    await attachFiles(ana.page, [
      { name: 'sunset.png', mimeType: 'image/png', buffer: png },
      { name: 'notes.pdf', mimeType: 'application/pdf', buffer: pdf },
      { name: 'chime.wav', mimeType: 'audio/wav', buffer: toneWav() },
    ]);

    // The sender: both become messages once stored; the queue empties.
    const anaImage = imageMessage(ana.page, 'sunset');
    await anaImage.waitFor();
    await chatHistory(ana.page).getByRole('link', { name: 'Download notes.pdf' }).waitFor();
    await ana.page
      .getByRole('list', { name: 'Attachments being sent' })
      .waitFor({ state: 'detached' });

    // The reader: the thumbhash placeholder, then the full image from /api/blobs/.
    const benImage = imageMessage(ben.page, 'sunset');
    await benImage.waitFor();
    const placeholderSrc = await benImage.locator('img[data-placeholder]').getAttribute('src');
    expect(placeholderSrc).toMatch(/^data:image\/png;base64,/);
    const full = await fullImageLoaded(benImage);
    expect(full.currentSrc).toMatch(/\/api\/blobs\/[0-9a-f]{64}$/);
    // Downscaled on the sender's device, never larger than the original.
    expect(full.naturalWidth).toBeLessThanOrEqual(1200);
    const loads = await ben.page.evaluate(() => (globalThis as LoadLog).canopyImageLoads ?? []);
    expect(loads.length).toBeGreaterThan(0);
    expect(loads.every((l) => l.placeholderShown)).toBe(true);

    // The records: written once each after the upload, with the server's type and size, the
    // placeholder and the classifier's scores for the image.
    const records = await lastMessages(ben.page, 10);
    const image = records.find((m) => m.kind === 'image');
    expect(image?.attachment).toMatchObject({
      mime: expect.stringMatching(/^image\/(jpeg|webp|png)$/) as unknown,
      width: full.naturalWidth,
      thumbhash: expect.any(String) as unknown,
    });
    expect(Object.keys(image?.attachment?.labels ?? {}).sort()).toEqual([
      'Drawing',
      'Hentai',
      'Neutral',
      'Porn',
      'Sexy',
    ]);
    expect(image?.attachment?.blurred).toBeUndefined();
    const file = records.find((m) => m.kind === 'file');
    expect(file?.attachment).toMatchObject({
      mime: 'application/pdf',
      size: pdf.length,
      name: 'notes.pdf',
    });

    // The PDF: a card with its name, and a download with the same bytes.
    const pdfLink = chatHistory(ben.page).getByRole('link', { name: 'Download notes.pdf' });
    const [download] = await Promise.all([ben.page.waitForEvent('download'), pdfLink.click()]);
    expect(download.suggestedFilename()).toBe('notes.pdf');
    const path = await download.path();
    expect(Buffer.compare(await readFile(path), pdf)).toBe(0);

    // Audio plays inline: the player (fetched with Ben's cookie) reads its duration.
    const audio = chatHistory(ben.page).getByLabel('chime.wav', { exact: true });
    await expect
      .poll(() => audio.evaluate((el: { duration: number }) => el.duration), {
        timeout: UI_TIMEOUT,
      })
      .toBeCloseTo(0.25, 2);
    await chatHistory(ben.page).getByRole('link', { name: 'Download chime.wav' }).waitFor();

    // The service worker kept the image: offline, after a reload, it still shows.
    const blobPath = new URL(full.currentSrc).pathname;
    const cached = (): Promise<boolean> =>
      ben.page.evaluate(async (p: string) => {
        const g = globalThis as unknown as {
          caches: { open(n: string): Promise<{ match(u: string): Promise<unknown> }> };
        };
        return (await (await g.caches.open('canopy-blobs')).match(p)) !== undefined;
      }, blobPath);
    await expect.poll(cached, { timeout: UI_TIMEOUT }).toBe(true);
    await goOffline(ben.context);
    await ben.page.reload();
    await ben.page.getByRole('heading', { name: 'Album', exact: true }).waitFor();
    await fullImageLoaded(imageMessage(ben.page, 'sunset'));
    await goOnline(ben.context);

    expect(ana.pageErrors).toEqual([]);
    expect(ben.pageErrors).toEqual([]);
  });

  it('keeps a file attached offline across a reload and delivers it once on reconnect', async () => {
    const { ana, ben } = await twoUsersIn('Offline files');
    await sendMessage(ana.page, 'before');
    await messageRow(ben.page, 'before').waitFor();
    // The reload below needs the shell from the service worker's precache.
    await waitForServiceWorker(ana.page);

    await goOffline(ana.context);
    await ana.page.getByRole('status', { name: 'Connection: Offline' }).waitFor();
    const text = Buffer.from('Packing list\n- tent\n- stove\n', 'utf8');
    await dropFiles(ana.page, [{ name: 'packing.txt', mimeType: 'text/plain', buffer: text }]);
    const queued = (): Locator =>
      ana.page
        .getByRole('list', { name: 'Attachments being sent' })
        .getByRole('listitem', { name: 'packing.txt' });
    await queued().getByLabel('Status: On this device').waitFor();

    // The queue is on disk: a reload (still offline) shows it pending again.
    await ana.page.reload();
    await ana.page.getByRole('heading', { name: 'Offline files', exact: true }).waitFor();
    await queued().getByLabel('Status: On this device').waitFor();
    const link = (page: Page): Locator =>
      chatHistory(page).getByRole('link', { name: 'Download packing.txt' });
    expect(await link(ben.page).count()).toBe(0);

    await goOnline(ana.context);
    await link(ben.page).waitFor();
    await queued().waitFor({ state: 'detached' });
    await link(ana.page).waitFor();
    // Once on each side, also after Ana's side settled (read by Ben) and a reload.
    await sendMessage(ana.page, 'after');
    await messageRow(ana.page, 'after').getByLabel('Status: Read by all').waitFor();
    await ana.page.reload();
    await messageRow(ana.page, 'after').waitFor();
    expect(await link(ben.page).count()).toBe(1);
    expect(await link(ana.page).count()).toBe(1);
    const [download] = await Promise.all([
      ben.page.waitForEvent('download'),
      link(ben.page).click(),
    ]);
    expect(Buffer.compare(await readFile(await download.path()), text)).toBe(0);
    expect(ana.pageErrors).toEqual([]);
    expect(ben.pageErrors).toEqual([]);
  });

  it("applies the group's image policy (blur, block) and the size limit on the sender's device", async () => {
    const { ana, ben } = await twoUsersIn('Policies');
    const png = photoPng(320, 240);

    // A threshold of 0 on any label applies the rule to every image.
    await setPolicy(ana.page, 'Blur all', { Neutral: { threshold: 0, action: 'blur' } });
    await attachFiles(ana.page, [{ name: 'hidden.png', mimeType: 'image/png', buffer: png }]);
    await ben.page.getByRole('heading', { name: 'Blur all', exact: true }).waitFor();
    const show = chatHistory(ben.page).getByRole('button', { name: 'Show anyway' });
    await show.waitFor();
    const message = chatHistory(ben.page)
      .getByRole('article')
      .filter({ has: ben.page.getByRole('button', { name: 'Show anyway' }) });
    // Only the placeholder until the reader asks: the full image is not even requested.
    expect(await message.locator('img[data-placeholder]').count()).toBe(1);
    expect(await message.locator('img.attachment-full').count()).toBe(0);
    expect(
      (await lastMessages(ben.page, 5)).find((m) => m.kind === 'image')?.attachment?.blurred,
    ).toBe(true);
    await show.click();
    await fullImageLoaded(imageMessage(ben.page, 'hidden'));

    const blobsBefore = server.query<{ n: number }>('SELECT count(*) AS n FROM blobs')[0]?.n;
    await setPolicy(ana.page, 'Block all', { Neutral: { threshold: 0, action: 'block' } });
    await pasteFiles(ana.page, [
      { name: 'refused.png', mimeType: 'image/png', buffer: photoPng(300, 200) },
    ]);
    const notice = ana.page.getByRole('alert').filter({ hasText: 'refused.png' });
    await notice.waitFor();
    expect(await notice.textContent()).toMatch(
      /not sent.*Blocked by this group's image policy: Neutral/,
    );
    // Nothing was queued, uploaded or written.
    expect(await ana.page.getByRole('list', { name: 'Attachments being sent' }).count()).toBe(0);
    expect(server.query<{ n: number }>('SELECT count(*) AS n FROM blobs')[0]?.n).toBe(blobsBefore);
    await sendMessage(ana.page, 'after the refusal');
    await messageRow(ben.page, 'after the refusal').waitFor();
    expect((await lastMessages(ben.page, 10)).filter((m) => m.kind === 'image')).toHaveLength(1);
    await notice.getByRole('button', { name: 'Dismiss notice' }).click();
    await notice.waitFor({ state: 'detached' });

    // Above the operator's limit (GET /api/config): refused on the device, with the limit.
    const big = Buffer.alloc(MAX_UPLOAD + 1024 * 1024, 7);
    await dropFiles(ana.page, [
      { name: 'big.bin', mimeType: 'application/octet-stream', buffer: big },
    ]);
    const tooLarge = ana.page.getByRole('alert').filter({ hasText: 'big.bin' });
    expect(await tooLarge.textContent()).toContain('is too large (3 MB). The limit here is 2 MB.');
    expect(await ana.page.getByRole('list', { name: 'Attachments being sent' }).count()).toBe(0);
    expect(server.query<{ n: number }>('SELECT count(*) AS n FROM blobs')[0]?.n).toBe(blobsBefore);
    expect(ana.pageErrors).toEqual([]);
    expect(ben.pageErrors).toEqual([]);
  });
});
