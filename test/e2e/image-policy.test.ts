// Group image policies end to end: the built client's image worker (decode, resize, re-encode,
// ONNX classifier in WASM) against the real server. An owner edits the policy in settings; the
// "Try an image" check, the composer's attach and the page's prepareImage
// (globalThis.canopyMedia) apply the saved rules; a member sees them read-only. Flat colours
// score high on Drawing, so a Drawing rule refuses a plain PNG while the default policy lets a
// photo-like JPEG through. Profile pictures follow the server's avatar policy.
import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import type { Group } from '@canopy/shared';
import { makeGif } from '../fixtures/sample-files.js';
import { attachFiles } from '../utils/attachment-ui.js';
import {
  createGroup,
  goOffline,
  openConversation,
  waitForServiceWorker,
} from '../utils/browser.js';
import { useBrowserSuite } from '../utils/e2e-suite.js';
import type { AppUser } from '../utils/browser.js';
import { imageBytes, installTestImages } from '../utils/page-images.js';
import type { TestImageSpec } from '../utils/page-images.js';

/** Profile pictures on this server: what would blur a flat drawing refuses it. */
const AVATAR_POLICY = { Drawing: { threshold: 0.3, action: 'blur' } };
const suite = useBrowserSuite({ env: { AVATAR_IMAGE_POLICY: JSON.stringify(AVATAR_POLICY) } });

const FLAT_PNG: TestImageSpec = { kind: 'flat', width: 320, height: 240, type: 'image/png' };
const PHOTO_JPEG: TestImageSpec = {
  kind: 'photo',
  width: 640,
  height: 480,
  type: 'image/jpeg',
  seed: 7,
};

interface PrepareSummary {
  kind: 'image' | 'blocked';
  reason?: string;
  action?: string;
  mime?: string;
  width?: number;
  height?: number;
  size?: number;
  thumbhash?: string;
  labels: Record<string, number>;
  /** the uploaded bytes contain an Exif block / our marker string */
  hasExif?: boolean;
  hasMarker?: boolean;
}

/** Runs the page's prepareImage on bytes (or a generated image) under a policy. */
async function prepareInPage(
  page: Page,
  input: { bytes: Buffer; type: string } | TestImageSpec,
  policy: Group['imagePolicy'],
): Promise<PrepareSummary> {
  await installTestImages(page);
  const arg = {
    policy,
    spec: 'kind' in input ? input : null,
    base64: 'bytes' in input ? input.bytes.toString('base64') : null,
    type: 'bytes' in input ? input.type : null,
  };
  const summary = await page.evaluate(
    `(async ({ policy, spec, base64, type }) => {
      const blob = spec
        ? await globalThis.canopyTestImage(spec)
        : new Blob([Uint8Array.from(atob(base64), (c) => c.charCodeAt(0))], { type });
      const r = await globalThis.canopyMedia.prepareImage(blob, policy);
      if (r.kind === 'blocked') return { kind: r.kind, reason: r.reason, labels: r.labels };
      const text = new TextDecoder('latin1').decode(await r.blob.arrayBuffer());
      return {
        kind: r.kind, action: r.decision.action, mime: r.mime, width: r.width, height: r.height,
        size: r.blob.size, thumbhash: r.thumbhash, labels: r.labels,
        hasExif: text.includes('Exif'), hasMarker: text.includes('CANOPY-GPS-MARKER'),
      };
    })(${JSON.stringify(arg)})`,
  );
  return summary as PrepareSummary;
}

/** An EXIF APP1 segment: Orientation 6 (rotate 90° clockwise) and a marker description. */
function exifSegment(): Buffer {
  const marker = Buffer.from('CANOPY-GPS-MARKER\0', 'latin1');
  const tiff = Buffer.alloc(8 + 30);
  tiff.write('MM', 0, 'latin1');
  tiff.writeUInt16BE(42, 2);
  tiff.writeUInt32BE(8, 4);
  tiff.writeUInt16BE(2, 8); // two IFD entries
  tiff.writeUInt16BE(0x0112, 10); // Orientation, SHORT, 1, value 6
  tiff.writeUInt16BE(3, 12);
  tiff.writeUInt32BE(1, 14);
  tiff.writeUInt16BE(6, 18);
  tiff.writeUInt16BE(0x010e, 22); // ImageDescription, ASCII, at offset 38
  tiff.writeUInt16BE(2, 24);
  tiff.writeUInt32BE(marker.length, 26);
  tiff.writeUInt32BE(38, 30);
  tiff.writeUInt32BE(0, 34); // no next IFD
  const payload = Buffer.concat([Buffer.from('Exif\0\0', 'latin1'), tiff, marker]);
  const head = Buffer.alloc(4);
  head.writeUInt16BE(0xffe1, 0);
  head.writeUInt16BE(payload.length + 2, 2);
  return Buffer.concat([head, payload]);
}

async function openSettings(user: AppUser): Promise<void> {
  await user.page.getByRole('link', { name: 'Group settings' }).click();
  await user.page.getByRole('heading', { name: 'Image policy' }).waitFor();
}

async function tryImage(
  page: Page,
  bytes: Buffer,
  name: string,
  mimeType: string,
): Promise<string> {
  const result = page.getByRole('status', { name: 'Image check result' });
  await page.getByLabel('Try an image').setInputFiles({ name, mimeType, buffer: bytes });
  // The status reads "Checking…" while the worker runs, then the verdict.
  await expect
    .poll(async () => (await result.textContent()) ?? '', { timeout: 60_000 })
    .toMatch(/^(Allowed|Blocked|Blurred|Could not)/);
  return (await result.textContent()) ?? '';
}

async function groupPolicy(page: Page, groupId: string): Promise<Group['imagePolicy']> {
  const res = await page.request.get(`${suite.server.url}/api/groups/${groupId}`);
  expect(res.status()).toBe(200);
  return ((await res.json()) as { group: Group }).group.imagePolicy;
}

describe('image policy', () => {
  it('blocks, blurs and allows by the group policy; a blocked image is never uploaded', async () => {
    const owner = await suite.signUp('Iris');
    const member = await suite.signUp('Milo');
    await createGroup(owner, 'Pictures', [member]);
    const groupId = /\/g\/([^/]+)/.exec(owner.page.url())?.[1] ?? '';
    const uploads: string[] = [];
    owner.page.on('request', (r) => {
      if (r.method() === 'POST' && r.url().includes('/api/uploads')) uploads.push(r.url());
    });
    await openSettings(owner);
    const { page } = owner;
    await page.getByText('This group uses the default policy.').waitFor();
    const flat = await imageBytes(page, FLAT_PNG);
    const photo = await imageBytes(page, PHOTO_JPEG);

    // Default policy: both pass (Drawing is not policed by default).
    expect(await tryImage(page, photo, 'photo.jpg', 'image/jpeg')).toBe('Allowed');
    const allowed = await prepareInPage(page, { bytes: photo, type: 'image/jpeg' }, null);
    expect(allowed).toMatchObject({ kind: 'image', action: 'allow', mime: 'image/jpeg' });
    expect(allowed.labels.Neutral).toBeGreaterThan(0.5);
    expect(allowed.thumbhash).toMatch(/^[A-Za-z0-9+/]+=*$/);

    // Owner adds a Drawing rule: block at 0.3, and saves it to the server.
    await page.getByLabel('Add a rule for').selectOption('Drawing');
    await page.getByRole('button', { name: 'Add rule' }).click();
    await page.getByLabel('Threshold for Drawing').fill('0.3');
    await page.getByLabel('Action for Drawing').selectOption('block');
    await page.getByRole('button', { name: 'Save image policy' }).click();
    await page.getByRole('status').filter({ hasText: 'Image policy saved.' }).waitFor();
    const saved = await groupPolicy(page, groupId);
    expect(saved?.Drawing).toEqual({ threshold: 0.3, action: 'block' });

    const refusal = await tryImage(page, flat, 'flat.png', 'image/png');
    expect(refusal).toMatch(/^Blocked by this group's image policy: Drawing 0\.\d\d ≥ 0\.30$/);
    const blocked = await prepareInPage(page, FLAT_PNG, saved);
    expect(blocked.kind).toBe('blocked');
    expect(blocked.reason).toMatch(/Drawing 0\.\d\d ≥ 0\.30/);
    expect(blocked.labels.Drawing).toBeGreaterThanOrEqual(0.3);
    // The photo still passes the same policy.
    expect((await prepareInPage(page, PHOTO_JPEG, saved)).kind).toBe('image');

    // Through the composer: the flat PNG is refused on the device and never uploaded; the
    // photo goes out (so the request watch does see uploads).
    await openConversation(page, 'Pictures');
    await attachFiles(page, { name: 'flat.png', mimeType: 'image/png', buffer: flat });
    const notice = page.getByRole('alert').filter({ hasText: 'flat.png' });
    expect(await notice.textContent()).toMatch(
      /Blocked by this group's image policy: Drawing 0\.\d\d ≥ 0\.30/,
    );
    expect(uploads).toEqual([]);
    await attachFiles(page, { name: 'photo.jpg', mimeType: 'image/jpeg', buffer: photo });
    await expect.poll(() => uploads.length, { timeout: 60_000 }).toBe(1);
    await openSettings(owner);

    // Same rule with action blur: the image is prepared, marked blur.
    await page.getByLabel('Action for Drawing').selectOption('blur');
    await page.getByRole('button', { name: 'Save image policy' }).click();
    await expect.poll(async () => (await groupPolicy(page, groupId))?.Drawing?.action).toBe('blur');
    expect(await tryImage(page, flat, 'flat.png', 'image/png')).toMatch(
      /^Blurred for others: Drawing/,
    );
    const blurred = await prepareInPage(page, FLAT_PNG, await groupPolicy(page, groupId));
    expect(blurred).toMatchObject({ kind: 'image', action: 'blur', mime: 'image/jpeg' });

    // A member sees the rules but cannot change them.
    await member.page.goto(`${suite.server.url}/g/${groupId}/settings`);
    await member.page.getByRole('heading', { name: 'Image policy' }).waitFor();
    await expect.poll(() => member.page.getByLabel('Action for Drawing').inputValue()).toBe('blur');
    expect(await member.page.getByLabel('Action for Drawing').isDisabled()).toBe(true);
    expect(await member.page.getByLabel('Threshold for Porn').isDisabled()).toBe(true);
    expect(await member.page.getByRole('button', { name: 'Save image policy' }).count()).toBe(0);

    expect(uploads).toHaveLength(1);
    expect(owner.pageErrors).toEqual([]);
  });

  it('applies EXIF orientation, strips metadata, fits the long edge in 2048, keeps alpha', async () => {
    const user = await suite.signUp('Otto');
    const { page } = user;
    // 300×200 stored, Orientation 6: it must come out 200×300, with no Exif block left.
    const stored = await imageBytes(page, { ...PHOTO_JPEG, width: 300, height: 200 });
    const withExif = Buffer.concat([stored.subarray(0, 2), exifSegment(), stored.subarray(2)]);
    expect(withExif.includes('CANOPY-GPS-MARKER')).toBe(true);
    const turned = await prepareInPage(page, { bytes: withExif, type: 'image/jpeg' }, null);
    expect(turned).toMatchObject({
      kind: 'image',
      width: 200,
      height: 300,
      hasExif: false,
      hasMarker: false,
    });

    const big = await prepareInPage(page, { ...PHOTO_JPEG, width: 3000, height: 1000 }, null);
    expect(big).toMatchObject({ kind: 'image', width: 2048, height: 683, mime: 'image/jpeg' });

    // Transparency survives: a see-through PNG becomes WebP, not a JPEG on black.
    const clear = await prepareInPage(
      page,
      { ...FLAT_PNG, color: 'rgba(58, 110, 165, 0.5)' },
      null,
    );
    expect(clear).toMatchObject({ kind: 'image', mime: 'image/webp', width: 320, height: 240 });

    // Not an image: a clear decode error, not a crash of the worker.
    const notImage = await page.evaluate(
      `globalThis.canopyMedia.prepareImage(new Blob(['hello'], { type: 'image/png' }), null)
        .then(() => 'resolved', (e) => e.name + ':' + e.code)`,
    );
    expect(notImage).toBe('ImagePrepareError:decode');
    // The worker still serves the next image.
    expect((await prepareInPage(page, FLAT_PNG, null)).kind).toBe('image');
    expect(user.pageErrors).toEqual([]);
  });

  it('classifies offline from the service worker precache (model and ONNX wasm)', async () => {
    const user = await suite.signUp('Pia');
    await waitForServiceWorker(user.page);
    await goOffline(user.context);
    // A new page: the app, the worker script, the .onnx and the .wasm all come from the cache.
    const page = await user.context.newPage();
    await page.goto(`${suite.server.url}/`);
    expect(await page.evaluate('navigator.serviceWorker.controller !== null')).toBe(true);
    await page.getByRole('status', { name: 'Connection: Offline' }).waitFor();
    await page.waitForFunction(() => 'canopyMedia' in globalThis);
    const offline = await prepareInPage(page, PHOTO_JPEG, null);
    expect(offline).toMatchObject({ kind: 'image', action: 'allow' });
    expect(user.pageErrors).toEqual([]);
  });
});

describe('profile pictures', () => {
  it("are checked under the server's avatar policy, where a blur rule refuses", async () => {
    const pia = await suite.signUp('Pia');
    const myAvatarSha = (): Promise<unknown> =>
      pia.page.evaluate(`fetch('/api/me').then((r) => r.json()).then((b) => b.user.avatar)`);
    await pia.page.getByRole('link', { name: 'Profile' }).click();
    const section = pia.page.getByRole('region', { name: 'Picture' });
    const picture = section.getByLabel('Change picture');

    const flat = await imageBytes(pia.page, FLAT_PNG);
    await picture.setInputFiles({ name: 'flat.png', mimeType: 'image/png', buffer: flat });
    const refusal = section.getByRole('alert');
    await expect
      .poll(async () => (await refusal.textContent()) ?? '', { timeout: 60_000 })
      .toMatch(
        /^This picture cannot be a profile picture on this server: Drawing 0\.\d\d ≥ 0\.30\.$/,
      );
    expect(await myAvatarSha()).toBeNull();

    const photo = await imageBytes(pia.page, PHOTO_JPEG);
    await picture.setInputFiles({ name: 'photo.jpg', mimeType: 'image/jpeg', buffer: photo });
    await section.getByRole('status').filter({ hasText: 'Picture saved.' }).waitFor();
    expect(await myAvatarSha()).toMatch(/^[0-9a-f]{64}$/);
    expect(pia.pageErrors).toEqual([]);
  });
});

describe('animated GIFs', () => {
  it('keep every frame when all frames pass, and are refused when any one does not', async () => {
    const gil = await suite.signUp('Gil');
    const { page } = gil;
    const asGif = (bytes: Buffer) => ({ bytes, type: 'image/gif' });
    const calm = makeGif(96, 72, ['photo', 'photo', 'photo']);
    const sent = await prepareInPage(page, asGif(calm), null);
    expect(sent).toMatchObject({ kind: 'image', mime: 'image/gif', width: 96, height: 72 });
    expect(sent.size).toBe(calm.length); // the original bytes, animation and all

    // A rule the photo frames pass refuses the animation for one flat frame in the middle.
    const drawing: Group['imagePolicy'] = { Drawing: { threshold: 0.5, action: 'block' } };
    expect((await prepareInPage(page, asGif(calm), drawing)).kind).toBe('image');
    const mixed = await prepareInPage(
      page,
      asGif(makeGif(96, 72, ['photo', 'flat', 'photo'])),
      drawing,
    );
    expect(mixed.kind).toBe('blocked');
    expect(mixed.reason).toMatch(/Drawing 0\.\d\d ≥ 0\.50/);

    // Through the composer: the server stores the GIF as it was.
    await createGroup(gil, 'Reactions', []);
    await attachFiles(page, { name: 'wave.gif', mimeType: 'image/gif', buffer: calm });
    const sha256 = createHash('sha256').update(calm).digest('hex');
    await expect
      .poll(() => suite.server.query('SELECT mime, size FROM blobs WHERE sha256 = ?', sha256), {
        timeout: 60_000,
      })
      .toEqual([{ mime: 'image/gif', size: calm.length }]);
    expect(gil.pageErrors).toEqual([]);
  });
});
