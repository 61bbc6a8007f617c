// The membership answers the relay reads per update frame are cached: every membership
// change through the store must be visible to the very next read.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { makeId } from '@canopy/shared';
import { createGroupStore } from './group-store.js';
import type { GroupStore } from './group-store.js';
import { openDatabase } from './open-database.js';
import type { OpenDatabase } from './open-database.js';

describe('group store membership', () => {
  let dir: string;
  let database: OpenDatabase;
  let groups: GroupStore;
  const [owner, ann, ben] = [makeId(), makeId(), makeId()];
  const groupId = makeId();

  beforeEach(() => {
    dir = mkdtempSync(path.join(tmpdir(), 'canopy-groups-'));
    database = openDatabase({ dataDir: dir });
    const add = database.sqlite.prepare(
      'INSERT INTO users (id, username, email, display_name, created_at) VALUES (?, ?, ?, ?, ?)',
    );
    for (const [i, id] of [owner, ann, ben].entries()) add.run(id, `u${i}`, `u${i}@x.test`, 'U', 0);
    groups = createGroupStore(database.db);
  });

  afterEach(() => {
    database.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('answers from the cache and sees every change made through the store at once', () => {
    expect(groups.membership(groupId, ann).kind).toBe('no-group');
    groups.create({
      id: groupId,
      kind: 'group',
      name: 'g',
      createdBy: owner,
      members: [
        { userId: owner, role: 'owner' },
        { userId: ann, role: 'member' },
      ],
    });
    expect(groups.membership(groupId, ann)).toEqual({
      kind: 'member',
      role: 'member',
      isBot: false,
      conversation: 'group',
    });
    expect(groups.membership(groupId, ben).kind).toBe('not-member');
    groups.addMember(groupId, ben, 'member');
    expect(groups.membership(groupId, ben).kind).toBe('member');
    groups.setRole(groupId, ann, 'admin');
    expect(groups.membership(groupId, ann)).toMatchObject({ role: 'admin' });
    groups.transferOwnership(groupId, owner, ann);
    expect(groups.membership(groupId, ann)).toMatchObject({ role: 'owner' });
    expect(groups.membership(groupId, owner)).toMatchObject({ role: 'admin' });
    groups.removeMember(groupId, ben);
    expect(groups.membership(groupId, ben).kind).toBe('not-member');
    groups.removeMember(groupId, owner);
    groups.removeMember(groupId, ann);
    expect(groups.membership(groupId, ann).kind).toBe('no-group');
  });
});
