import { describe, expect, it } from 'vitest';
import { makeId } from '@canopy/shared';
import type { BlobInfo, GroupId, MessageId, UserId } from '@canopy/shared';
import { makeMemoryKv } from './idb-kv.js';
import type { KvStore } from './idb-kv.js';
import { makeUploadQueue } from './upload-queue.js';
import type { QueuedUpload, UploadOutcome, UploadQueueDeps } from './upload-queue.js';

const me = makeId<UserId>();
const groupA = makeId<GroupId>();
const groupB = makeId<GroupId>();

const entry = (name: string, groupId = groupA): QueuedUpload => ({
  id: makeId<MessageId>(),
  groupId,
  createdAt: Date.now(),
  kind: 'file',
  name,
  mime: 'application/pdf',
  size: name.length,
});

const info = (name: string): BlobInfo => ({
  sha256: name
    .padEnd(64, '0')
    .replace(/[^0-9a-f]/g, 'a')
    .slice(0, 64),
  mime: 'application/pdf',
  size: name.length,
  width: null,
  height: null,
});

/** A fake network: answers per entry name, records uploads and commits. */
function harness(kv: KvStore = makeMemoryKv()) {
  const uploads: string[] = [];
  const commits: string[] = [];
  const failures: string[] = [];
  const resumedFrom: (string | undefined)[] = [];
  const state = {
    answer: (_e: QueuedUpload): UploadOutcome => ({ type: 'offline' }),
    commitOk: (_e: QueuedUpload): boolean => true,
    /** the URL the fake server gives an upload (undefined: none) */
    resumeUrl: undefined as string | undefined,
  };
  const deps: UploadQueueDeps = {
    kv,
    userId: me,
    async upload(e, body, onProgress, _signal, onResumeUrl) {
      uploads.push(e.name);
      resumedFrom.push(e.uploadUrl);
      if (state.resumeUrl !== undefined) onResumeUrl(state.resumeUrl);
      expect(await body.text()).toBe(`bytes of ${e.name}`);
      onProgress(body.size, body.size);
      return state.answer(e);
    },
    commit(e, blob) {
      expect(blob).toEqual(info(e.name));
      const ok = state.commitOk(e);
      if (ok) commits.push(e.name);
      return Promise.resolve(ok);
    },
    fail(e) {
      failures.push(e.name);
      return Promise.resolve();
    },
  };
  return { kv, uploads, commits, failures, resumedFrom, state, queue: makeUploadQueue(deps) };
}

const stored = (e: QueuedUpload): UploadOutcome => ({ type: 'stored', blob: info(e.name) });
const body = (name: string): Blob => new Blob([`bytes of ${name}`]);
const names = (list: readonly QueuedUpload[]): string[] => list.map((e) => e.name);

describe('upload queue', () => {
  it('waits offline, survives a reload, then sends in order and commits each once', async () => {
    const first = harness();
    for (const n of ['a', 'b', 'c']) await first.queue.add(entry(n), body(n));
    await first.queue.flush();
    expect(first.uploads).toEqual(['a']); // no network: the pass stops at the head
    expect(first.commits).toEqual([]);

    // A reload: a new queue over the same store has the entries and their bytes.
    const second = harness(first.kv);
    expect(names(await second.queue.load())).toEqual(['a', 'b', 'c']);
    const head = second.queue.entries()[0] as QueuedUpload;
    expect(await (await second.queue.body(head.id))?.text()).toBe('bytes of a');

    second.state.answer = stored;
    await Promise.all([second.queue.flush(), second.queue.flush()]); // concurrent calls join
    expect(second.uploads).toEqual(['a', 'b', 'c']);
    expect(second.commits).toEqual(['a', 'b', 'c']);
    expect(second.queue.entries()).toEqual([]);
    expect(await second.queue.body(head.id)).toBeUndefined();
    expect(await harness(first.kv).queue.load()).toEqual([]);
  });

  it('keeps the URL of an upload under way, so that the next try after a reload resumes it', async () => {
    const first = harness();
    await first.queue.add(entry('big'), body('big'));
    first.state.resumeUrl = '/api/uploads/abc123';
    await first.queue.flush(); // the connection drops mid-way (offline)
    expect(first.resumedFrom).toEqual([undefined]);

    const second = harness(first.kv);
    second.state.answer = stored;
    await second.queue.flush();
    expect(second.resumedFrom).toEqual(['/api/uploads/abc123']);
    expect(second.commits).toEqual(['big']);
  });

  it('keeps a group in order when it must wait, while other groups go ahead', async () => {
    const h = harness();
    await h.queue.add(entry('a1'), body('a1'));
    await h.queue.add(entry('b1', groupB), body('b1'));
    await h.queue.add(entry('a2'), body('a2'));
    h.state.answer = (e) => (e.groupId === groupA ? { type: 'later' } : stored(e));
    await h.queue.flush();
    expect(h.uploads).toEqual(['a1', 'b1']); // a2 never overtakes a1
    expect(h.commits).toEqual(['b1']);
    expect(names(h.queue.entries())).toEqual(['a1', 'a2']);
  });

  it('does not upload again when only the commit had to wait', async () => {
    const h = harness();
    await h.queue.add(entry('x'), body('x'));
    h.state.answer = stored;
    h.state.commitOk = () => false; // e.g. the workspace was closed meanwhile
    await h.queue.flush();
    expect(h.queue.entries()[0]?.uploaded).toEqual(info('x'));

    // After a reload, the stored answer is still there: commit only.
    const again = harness(h.kv);
    await again.queue.flush();
    expect(again.uploads).toEqual([]);
    expect(again.commits).toEqual(['x']);
    expect(again.queue.entries()).toEqual([]);
  });

  it('parks a refused entry with its reason without holding up the rest', async () => {
    const h = harness();
    await h.queue.add(entry('big'), body('big'));
    await h.queue.add(entry('small'), body('small'));
    h.state.answer = (e) =>
      e.name === 'big' ? { type: 'refused', reason: 'File too large.' } : stored(e);
    await h.queue.flush();
    expect(h.commits).toEqual(['small']);
    expect(h.failures).toEqual(['big']); // its message says the bytes will not come
    expect(h.queue.entries().map((e) => [e.name, e.error])).toEqual([['big', 'File too large.']]);
    await h.queue.flush(); // parked: not tried again
    expect(h.uploads).toEqual(['big', 'small']);
    await h.queue.remove(h.queue.entries()[0]?.id as MessageId);
    expect(h.queue.entries()).toEqual([]);
    expect(h.failures).toEqual(['big', 'big']);
  });

  it('never commits an entry removed while its upload was running', async () => {
    const kv = makeMemoryKv();
    const commits: string[] = [];
    const failures: string[] = [];
    let started!: () => void;
    const uploading = new Promise<void>((r) => (started = r));
    const queue = makeUploadQueue({
      kv,
      userId: me,
      upload: (e, _body, _p, signal) =>
        new Promise<UploadOutcome>((resolve, reject) => {
          started();
          signal.addEventListener('abort', () => reject(new Error('aborted')));
          setTimeout(() => resolve(stored(e)), 5_000);
        }),
      commit: (e) => {
        commits.push(e.name);
        return Promise.resolve(true);
      },
      fail: (e) => {
        failures.push(e.name);
        return Promise.resolve();
      },
    });
    const e = entry('gone');
    await queue.add(e, body('gone'));
    const flushing = queue.flush();
    await uploading;
    await queue.remove(e.id);
    await flushing;
    expect(commits).toEqual([]);
    expect(failures).toEqual(['gone']);
    expect(queue.entries()).toEqual([]);
    expect(await queue.body(e.id)).toBeUndefined();
  });

  it('treats a thrown upload error as "later" and ignores stored entries of a wrong shape', async () => {
    const kv = makeMemoryKv();
    const good = entry('ok');
    await kv.set(`uploads:${me}`, [{ kind: 'nope' }, good]);
    await kv.set(`upload-body:${me}:${good.id}`, body('ok'));
    const queue = makeUploadQueue({
      kv,
      userId: me,
      upload: () => Promise.reject(new Error('boom')),
      commit: () => Promise.resolve(true),
      fail: () => Promise.reject(new Error('never called')),
    });
    expect(names(await queue.load())).toEqual(['ok']);
    await queue.flush();
    expect(names(queue.entries())).toEqual(['ok']);
    expect(queue.entries()[0]?.error).toBeUndefined();
  });

  it('marks an entry whose bytes are gone instead of uploading nothing', async () => {
    const h = harness();
    const e = entry('lost');
    await h.queue.add(e, body('lost'));
    await h.kv.delete(`upload-body:${me}:${e.id}`);
    h.state.answer = stored;
    await h.queue.flush();
    expect(h.uploads).toEqual([]);
    expect(h.queue.entries()[0]?.error).toMatch(/no longer on this device/);
  });
});
