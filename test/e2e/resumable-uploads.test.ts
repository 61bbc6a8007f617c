// Resumable uploads in the browser against the real server: an upload whose connection
// drops after the first chunk goes on, after a reload, from the last chunk the server stored
// (no byte of it is sent twice), and removing the queued file ends the server's unfinished
// upload, which would otherwise hold its share of the quota for a day.
import { createHash } from 'node:crypto';
import { existsSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { dropFiles } from '../utils/attachment-ui.js';
import type { AppUser } from '../utils/browser.js';
import { UI_TIMEOUT, chatHistory, openConversation } from '../utils/browser.js';
import { useBrowserSuite } from '../utils/e2e-suite.js';
import { seededRandom } from '../utils/seeded-random.js';

const suite = useBrowserSuite();

/** Ana and Ben, each on the screen of a new group of the two. */
async function twoUsersIn(title: string): Promise<{ ana: AppUser; ben: AppUser }> {
  const users = await suite.twoUsersInGroup(title);
  await openConversation(users.ben.page, title);
  return users;
}

/** Files of unfinished uploads on the server. */
const uploadFiles = (): string[] => {
  const dir = path.join(suite.server.dataDir, 'uploads');
  return existsSync(dir) ? readdirSync(dir) : [];
};

/**
 * Drops `file` into the open conversation and lets only its first 1 MiB chunk through: the
 * PATCHes after it fail (connection reset) while `cut` is set. Resolves once one did.
 */
async function cutAfterFirstChunk(
  user: AppUser,
  name: string,
  file: Buffer,
): Promise<{ offsets: number[]; cut: boolean }> {
  const link = { offsets: [] as number[], cut: true };
  await user.context.route('**/api/uploads/**', (route) => {
    const request = route.request();
    if (request.method() !== 'PATCH') return route.continue();
    const offset = Number(request.headers()['upload-offset']);
    link.offsets.push(offset);
    return link.cut && offset > 0 ? route.abort('connectionreset') : route.continue();
  });
  await dropFiles(user.page, [{ name, mimeType: 'application/octet-stream', buffer: file }]);
  await expect.poll(() => link.offsets.length, { timeout: UI_TIMEOUT }).toBeGreaterThanOrEqual(2);
  expect(link.offsets[0]).toBe(0);
  return link;
}

describe('resumable uploads', () => {
  it('goes on with an upload cut off mid-way from the last chunk stored, after a reload', async () => {
    const { ana, ben } = await twoUsersIn('Survey');
    const file = Buffer.from(seededRandom(5).bytes(1_800_000));
    const name = 'survey.bin';
    const link = await cutAfterFirstChunk(ana, name, file);

    await ana.page.reload();
    await ana.page.getByRole('heading', { name: 'Survey', exact: true }).waitFor();
    link.cut = false;
    await chatHistory(ben.page)
      .getByRole('link', { name: `Download ${name}` })
      .waitFor();
    // The first megabyte went once: every later PATCH started where the server was.
    expect(link.offsets.filter((o) => o === 0)).toEqual([0]);
    expect(link.offsets.slice(1).every((o) => o === 1024 * 1024)).toBe(true);
    const sha256 = createHash('sha256').update(file).digest('hex');
    expect(
      suite.server.query<{ size: number }>('SELECT size FROM blobs WHERE sha256 = ?', sha256),
    ).toEqual([{ size: file.length }]);
    expect(ana.pageErrors).toEqual([]);
  });

  it('ends the unfinished upload on the server when the user removes the file', async () => {
    const { ana } = await twoUsersIn('Second thoughts');
    const name = 'draft.bin';
    await cutAfterFirstChunk(ana, name, Buffer.from(seededRandom(6).bytes(1_500_000)));
    // The server holds the first megabyte (and its record) until the upload ends.
    expect(uploadFiles().length).toBeGreaterThan(0);
    await ana.page.getByRole('button', { name: `Remove ${name}` }).click();
    await expect.poll(uploadFiles, { timeout: UI_TIMEOUT }).toEqual([]);
    expect(ana.pageErrors).toEqual([]);
  });
});
