import { describe, expect, it } from 'vitest';
import { makeId } from '@canopy/shared';
import type { UserId } from '@canopy/shared';
import { makeDeviceData, userOfKey } from './device-data.js';
import { makeMemoryKv } from './idb-kv.js';
import type { KvStore } from './idb-kv.js';

describe('device data', () => {
  it('reads the user of a key', () => {
    expect(userOfKey('groups:u1')).toBe('u1');
    expect(userOfKey('upload-body:u1:m2')).toBe('u1');
    expect(userOfKey('session')).toBeUndefined();
  });

  it("deletes one user's records in every store, and drops their late writes until they return", async () => {
    const ana = makeId<UserId>();
    const ben = makeId<UserId>();
    const device = makeDeviceData([makeMemoryKv(), makeMemoryKv()]);
    const [app, uploads] = device.stores as [KvStore, KvStore];
    await app.set('session', { user: null });
    await app.set(`groups:${ana}`, []);
    await app.set(`tail:${ana}:g1`, ['newest']);
    await app.set(`groups:${ben}`, []);
    await uploads.set(`uploads:${ana}`, []);
    await uploads.set(`upload-body:${ana}:m1`, 'bytes');

    await device.forget(ana);
    expect((await app.keys()).sort()).toEqual([`groups:${ben}`, 'session'].sort());
    expect(await uploads.keys()).toEqual([]);

    // A save that was still on its way when the workspace closed.
    await app.set(`tail:${ana}:g1`, ['late']);
    await app.set(`groups:${ben}`, ['still kept']);
    expect(await app.get(`tail:${ana}:g1`)).toBeUndefined();
    expect(await app.get(`groups:${ben}`)).toEqual(['still kept']);

    device.welcome(ana);
    await app.set(`groups:${ana}`, ['back']);
    expect(await app.get(`groups:${ana}`)).toEqual(['back']);
  });
});
