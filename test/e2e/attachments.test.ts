// Attachments in the browser, two users against the real server: an image (checked on the
// sender's device by the real classifier, sent downscaled with a thumbhash) and a PDF; the
// reader sees the placeholder before the full image, opens it large, downloads the PDF byte
// for byte, and still sees the image offline (service worker cache). A file attached
// offline waits in the persisted upload queue across a reload, keeps its place among the
// messages written after it (its record is written at once, "Uploading…" until its bytes
// are stored), and arrives once on reconnect; without Web Crypto the record waits for the
// upload instead. A file queued in a DM made offline reaches the real DM, also when the
// page reloads after the switch.
import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import type { Locator, Page, Route } from 'playwright-core';
import { makePdf, makePng, makeWav } from '../fixtures/sample-files.js';
import {
  attachFiles,
  dropFiles,
  fullImageLoaded,
  imageLoads,
  imageMessage,
  lastMessages,
  loadedImage,
  pasteFiles,
  recordImageLoads,
  setPolicy,
} from '../utils/attachment-ui.js';
import type { AppUser } from '../utils/browser.js';
import {
  UI_TIMEOUT,
  chatHistory,
  createGroup,
  goOffline,
  goOfflineSeen,
  goOnline,
  messageRow,
  newUserContext,
  openConversation,
  sendMessage,
  signUpIn,
  startDmOffline,
  waitForServiceWorker,
} from '../utils/browser.js';
import { useBrowserSuite } from '../utils/e2e-suite.js';
import { inBlobCache } from '../utils/local-store.js';

const MAX_UPLOAD = 2 * 1024 * 1024;
// A small upload limit, so the local size check can be seen refusing a file.
const suite = useBrowserSuite({ env: { MAX_UPLOAD_BYTES: String(MAX_UPLOAD) } });
/** Photo-like (scored Neutral by the classifier), the same pixels for a given size. */
const photoPng = (width: number, height: number): Buffer => makePng(width, height, 7, 'photo');

/** Ana and Ben, each on the screen of a new group of the two. */
async function twoUsersIn(title: string): Promise<{ ana: AppUser; ben: AppUser }> {
  const users = await suite.twoUsersInGroup(title);
  await openConversation(users.ben.page, title);
  return users;
}

/** Blobs the server has stored. */
const blobCount = (): number | undefined =>
  suite.server.query<{ n: number }>('SELECT count(*) AS n FROM blobs')[0]?.n;

describe('attachments', () => {
  it('sends an image and a PDF: placeholder first, then the image; the PDF downloads intact', async () => {
    const ana = await suite.signUp('Ana');
    const benTab = await newUserContext(suite.browser, { acceptDownloads: true });
    await benTab.context.addInitScript(recordImageLoads);
    const ben = await signUpIn(benTab, suite.server.url, 'Ben');
    // Ben's page becomes controlled by the service worker after one reload, so the blob
    // fetches below go through its CacheFirst route.
    await waitForServiceWorker(ben.page);
    await ben.page.reload();
    await createGroup(ana, 'Album', [ben]);
    await openConversation(ben.page, 'Album');

    const png = photoPng(1200, 800);
    const pdf = makePdf();
    await attachFiles(ana.page, [
      { name: 'sunset.png', mimeType: 'image/png', buffer: png },
      { name: 'notes.pdf', mimeType: 'application/pdf', buffer: pdf },
      { name: 'chime.wav', mimeType: 'audio/wav', buffer: makeWav() },
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
    const loads = await imageLoads(ben.page);
    expect(loads.length).toBeGreaterThan(0);
    expect(loads.every((l) => l.placeholderShown)).toBe(true);

    // "View" opens it as large as the screen allows; Escape closes it.
    await benImage.getByRole('button', { name: /^View sunset\./ }).click();
    const viewer = ben.page.getByRole('dialog', { name: /^sunset\./ });
    const large = await loadedImage(viewer.getByRole('img', { name: /^sunset\./ }));
    expect(large.naturalWidth).toBe(full.naturalWidth);
    expect(await viewer.getByRole('link', { name: /^Download sunset\./ }).count()).toBe(1);
    await ben.page.keyboard.press('Escape');
    await viewer.waitFor({ state: 'detached' });

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
    await expect.poll(() => inBlobCache(ben.page, blobPath), { timeout: UI_TIMEOUT }).toBe(true);
    await goOffline(ben.context);
    await ben.page.reload();
    await ben.page.getByRole('heading', { name: 'Album', exact: true }).waitFor();
    await fullImageLoaded(imageMessage(ben.page, 'sunset'));
    await goOnline(ben.context);

    expect(ana.pageErrors).toEqual([]);
    expect(ben.pageErrors).toEqual([]);
  });

  it("drops a deleted message's image from the other member's device cache", async () => {
    const ana = await suite.signUp('Ana');
    const ben = await suite.signUp('Ben');
    // Ben's page is the service worker's, so the image goes through its blob cache.
    await waitForServiceWorker(ben.page);
    await ben.page.reload();
    await createGroup(ana, 'Gone', [ben]);
    await openConversation(ben.page, 'Gone');
    await attachFiles(ana.page, [
      { name: 'beach.png', mimeType: 'image/png', buffer: photoPng(600, 400) },
    ]);
    await sendMessage(ana.page, 'after the photo');
    const full = await fullImageLoaded(imageMessage(ben.page, 'beach'));
    const blobPath = new URL(full.currentSrc).pathname;
    await expect.poll(() => inBlobCache(ben.page, blobPath), { timeout: UI_TIMEOUT }).toBe(true);

    const row = imageMessage(ana.page, 'beach');
    await row.hover();
    await row.getByRole('button', { name: /^Message actions/ }).click();
    await ana.page.getByRole('menu').getByRole('menuitem', { name: 'Delete' }).click();
    await ana.page.getByRole('button', { name: 'Delete message' }).click();
    await imageMessage(ben.page, 'beach').waitFor({ state: 'detached' });
    await expect.poll(() => inBlobCache(ben.page, blobPath), { timeout: UI_TIMEOUT }).toBe(false);

    expect(ana.pageErrors).toEqual([]);
    expect(ben.pageErrors).toEqual([]);
  });

  it('keeps a file attached offline in its place across a reload and delivers it once, in order', async () => {
    const { ana, ben } = await twoUsersIn('Offline files');
    await sendMessage(ana.page, 'before');
    await messageRow(ben.page, 'before').waitFor();
    // The reload below needs the shell from the service worker's precache.
    await waitForServiceWorker(ana.page);

    await goOfflineSeen(ana);
    const text = Buffer.from('Packing list\n- tent\n- stove\n', 'utf8');
    await dropFiles(ana.page, [{ name: 'packing.txt', mimeType: 'text/plain', buffer: text }]);
    const queued = (): Locator =>
      ana.page
        .getByRole('list', { name: 'Attachments being sent' })
        .getByRole('listitem', { name: 'packing.txt' });
    await queued().getByLabel('Status: On this device').waitFor();
    // The message is in the conversation at once, in the order it was written.
    await sendMessage(ana.page, 'written after the file');
    const order = async (page: Page): Promise<string[]> =>
      (await chatHistory(page).getByRole('article').allTextContents()).flatMap((t) =>
        ['before', 'packing.txt', 'written after the file'].filter((w) => t.includes(w)),
      );
    const written = ['before', 'packing.txt', 'written after the file'];
    expect(await order(ana.page)).toEqual(written);
    await chatHistory(ana.page).getByRole('status').filter({ hasText: 'Uploading…' }).waitFor();

    // The queue is on disk: a reload (still offline) shows it pending again.
    await ana.page.reload();
    await ana.page.getByRole('heading', { name: 'Offline files', exact: true }).waitFor();
    await queued().getByLabel('Status: On this device').waitFor();
    await messageRow(ana.page, 'written after the file').waitFor();
    expect(await order(ana.page)).toEqual(written);
    const link = (page: Page): Locator =>
      chatHistory(page).getByRole('link', { name: 'Download packing.txt' });
    expect(await link(ben.page).count()).toBe(0);

    // A file removed from the queue before it went out stays in its place as "Not sent".
    await dropFiles(ana.page, [{ name: 'draft.txt', mimeType: 'text/plain', buffer: text }]);
    const draft = (page: Page): Locator =>
      chatHistory(page).getByRole('article').filter({ hasText: 'draft.txt' });
    await draft(ana.page).getByRole('status').filter({ hasText: 'Uploading…' }).waitFor();
    await ana.page.getByRole('button', { name: 'Remove draft.txt' }).click();
    await draft(ana.page).getByRole('status').filter({ hasText: 'Not sent' }).waitFor();

    // An image attached offline waits in its final box, on its placeholder.
    await dropFiles(ana.page, [
      { name: 'view.png', mimeType: 'image/png', buffer: photoPng(400, 300) },
    ]);
    // (re-encoded on the device, it may be sent as view.jpg)
    const view = (page: Page): Locator =>
      chatHistory(page)
        .getByRole('article')
        .filter({ hasText: /view\.\w+/ });
    await view(ana.page).getByRole('status').filter({ hasText: 'Uploading…' }).waitFor();
    expect(await view(ana.page).locator('img[data-placeholder]').count()).toBe(1);
    expect(await view(ana.page).locator('img.attachment-full').count()).toBe(0);

    await goOnline(ana.context);
    await link(ben.page).waitFor();
    expect(await order(ben.page)).toEqual(written);
    await draft(ben.page).getByRole('status').filter({ hasText: 'Not sent' }).waitFor();
    expect((await fullImageLoaded(imageMessage(ben.page, 'view'))).naturalWidth).toBe(400);
    await queued().waitFor({ state: 'detached' });
    await link(ana.page).waitFor();
    // Once on each side, also after Ana's side settled (read by Ben) and a reload.
    await sendMessage(ana.page, 'after');
    await messageRow(ana.page, 'after').getByLabel('Status: Read by all').waitFor();
    await ana.page.reload();
    await messageRow(ana.page, 'after').waitFor();
    await link(ana.page).waitFor();
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

  it('sends a file queued in a DM made offline to the real DM, after a reload in between', async () => {
    const ana = await suite.signUp('Ana');
    const ben = await suite.signUp('Ben');
    const standIn = await startDmOffline(ben, ana);
    const text = Buffer.from('Route: north ridge, then the lake\n', 'utf8');
    await dropFiles(ben.page, [{ name: 'route.txt', mimeType: 'text/plain', buffer: text }]);
    const queued = ben.page
      .getByRole('list', { name: 'Attachments being sent' })
      .getByRole('listitem', { name: 'route.txt' });
    await queued.getByLabel('Status: On this device').waitFor();

    // Back online, the DM becomes the real one, but the upload does not get through (a
    // failing connection) until the page was reloaded.
    const failUpload = (route: Route): Promise<void> => route.abort('connectionreset');
    await ben.context.route('**/api/uploads**', failUpload);
    await goOnline(ben.context);
    await standIn.waitFor({ state: 'detached' });
    await ben.page.reload();
    await ben.page.getByRole('heading', { name: 'Ana', exact: true }).waitFor();
    await ben.context.unroute('**/api/uploads**', failUpload);

    await openConversation(ana.page, 'Ben');
    await chatHistory(ana.page).getByRole('link', { name: 'Download route.txt' }).waitFor();
    await queued.waitFor({ state: 'detached' });
    expect(await chatHistory(ben.page).getByText('Not sent').count()).toBe(0);
    expect(ana.pageErrors).toEqual([]);
    expect(ben.pageErrors).toEqual([]);
  });

  it('without Web Crypto (plain HTTP to another host) writes the record after the upload, once', async () => {
    const { ana, ben } = await twoUsersIn('No hashing');
    // What a page served over plain HTTP from a LAN address gets: no crypto.subtle.
    await ana.context.addInitScript(() =>
      Object.defineProperty(globalThis.crypto, 'subtle', { value: undefined }),
    );
    await ana.page.reload();
    await ana.page.getByRole('heading', { name: 'No hashing', exact: true }).waitFor();
    expect(await ana.page.evaluate(() => globalThis.crypto.subtle === undefined)).toBe(true);

    await goOfflineSeen(ana);
    const text = Buffer.from('minutes of the meeting\n', 'utf8');
    await dropFiles(ana.page, [{ name: 'minutes.txt', mimeType: 'text/plain', buffer: text }]);
    await ana.page
      .getByRole('list', { name: 'Attachments being sent' })
      .getByRole('listitem', { name: 'minutes.txt' })
      .getByLabel('Status: On this device')
      .waitFor();
    // No record yet: nothing about the file is in the conversation.
    const row = (page: Page): Locator =>
      chatHistory(page).getByRole('article').filter({ hasText: 'minutes.txt' });
    expect(await row(ana.page).count()).toBe(0);

    await goOnline(ana.context);
    const link = (page: Page): Locator =>
      chatHistory(page).getByRole('link', { name: 'Download minutes.txt' });
    await link(ben.page).waitFor();
    await link(ana.page).waitFor();
    await sendMessage(ana.page, 'sent after the file');
    await messageRow(ben.page, 'sent after the file').waitFor();
    expect(await row(ben.page).count()).toBe(1);
    expect(await row(ana.page).count()).toBe(1);
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

    const blobsBefore = blobCount();
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
    expect(blobCount()).toBe(blobsBefore);
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
    expect(blobCount()).toBe(blobsBefore);
    expect(ana.pageErrors).toEqual([]);
    expect(ben.pageErrors).toEqual([]);
  });
});
