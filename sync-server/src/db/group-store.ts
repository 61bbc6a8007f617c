// Groups and memberships. Multi-row changes (create, leave with ownership hand-over,
// deleting the group with its last member) run in one transaction each. A member's own
// settings of a conversation (mutes, flags) live in member-settings-store.ts.
import { and, asc, eq, inArray, ne, sql } from 'drizzle-orm';
import { imagePolicySchema } from '@canopy/shared';
import type { Group, GroupId, GroupRole, ImagePolicy, Member, UserId } from '@canopy/shared';
import type { AppDatabase } from './open-database.js';
import { clientBindings, docSnapshots, docUpdates, groupMembers, groups, users } from './schema.js';

export type GroupRow = typeof groups.$inferSelect;

type MemberRow = typeof groupMembers.$inferSelect;

function toMember(row: MemberRow): Member {
  return { userId: row.userId as UserId, role: row.role, joinedAt: row.joinedAt };
}

export function toGroup(row: GroupRow, members: MemberRow[]): Group {
  return {
    id: row.id as GroupId,
    kind: row.kind,
    name: row.name,
    topic: row.topic,
    createdAt: row.createdAt,
    createdBy: row.createdBy as UserId,
    members: members.map(toMember),
    botEnabled: row.botEnabled,
    imagePolicy: parseImagePolicy(row.imagePolicy),
  };
}

/** The stored policy, or null (defaults) when absent or no longer valid. */
function parseImagePolicy(json: string | null): ImagePolicy | null {
  if (json === null) return null;
  try {
    const parsed = imagePolicySchema.safeParse(JSON.parse(json));
    return parsed.success ? parsed.data : null;
  } catch {
    return null;
  }
}

export interface GroupPatch {
  name?: string;
  topic?: string;
  botEnabled?: boolean;
  imagePolicy?: ImagePolicy | null;
}

export function dmKeyOf(a: string, b: string): string {
  return a < b ? `${a}:${b}` : `${b}:${a}`;
}

/** Answers are shared from a cache: callers must not mutate them. */
export type MembershipAnswer =
  | {
      readonly kind: 'member';
      readonly role: GroupRole;
      readonly isBot: boolean;
      readonly conversation: 'group' | 'dm';
    }
  | { readonly kind: 'not-member' }
  | { readonly kind: 'no-group' };

export type RemoveOutcome =
  { kind: 'removed'; newOwner: string | null } | { kind: 'group-deleted' } | { kind: 'not-member' };

export function createGroupStore(db: AppDatabase, now: () => number = Date.now) {
  const groupById = db
    .select()
    .from(groups)
    .where(eq(groups.id, sql.placeholder('id')))
    .prepare();
  const membersStmt = db
    .select()
    .from(groupMembers)
    .where(eq(groupMembers.groupId, sql.placeholder('groupId')))
    .orderBy(asc(groupMembers.joinedAt), asc(groupMembers.userId))
    .prepare();
  // One lookup answers "no such group", "not a member" and the role (the relay asks on
  // every connection, so it is a single prepared statement).
  const membershipStmt = db
    .select({
      groupId: groups.id,
      conversation: groups.kind,
      role: groupMembers.role,
      isBot: users.isBot,
    })
    .from(groups)
    .leftJoin(
      groupMembers,
      and(eq(groupMembers.groupId, groups.id), eq(groupMembers.userId, sql.placeholder('userId'))),
    )
    .leftJoin(users, eq(users.id, groupMembers.userId))
    .where(eq(groups.id, sql.placeholder('groupId')))
    .prepare();

  // The relay asks for the membership of the sender of every update frame. The answers are
  // cached here and every membership change below drops the whole cache first (changes are
  // rare; better-sqlite3 is synchronous, so no read comes between the drop and the write).
  // Membership rows are only ever written through this store (a member's own settings on
  // them, mutes and flags, through member-settings-store.ts: no answer holds those).
  // Bounded by a reset.
  const membershipCache = new Map<string, MembershipAnswer>();
  const MEMBERSHIP_CACHE_MAX = 50_000;

  function members(groupId: string): MemberRow[] {
    return membersStmt.all({ groupId });
  }

  function load(groupId: string): Group | undefined {
    const row = groupById.get({ id: groupId });
    return row ? toGroup(row, members(groupId)) : undefined;
  }

  return {
    get: (id: string): GroupRow | undefined => groupById.get({ id }),
    load,
    members,

    membership(groupId: string, userId: string): MembershipAnswer {
      const key = `${groupId} ${userId}`;
      const cached = membershipCache.get(key);
      if (cached) return cached;
      const hit = membershipStmt.get({ groupId, userId });
      const answer: MembershipAnswer = !hit
        ? { kind: 'no-group' }
        : !hit.role
          ? { kind: 'not-member' }
          : {
              kind: 'member',
              role: hit.role,
              isBot: hit.isBot ?? false,
              conversation: hit.conversation,
            };
      if (membershipCache.size >= MEMBERSHIP_CACHE_MAX) membershipCache.clear();
      membershipCache.set(key, answer);
      return answer;
    },

    /** The caller's groups with their members, oldest first. */
    listFor(userId: string): Group[] {
      const mine = db
        .select({ group: groups })
        .from(groupMembers)
        .innerJoin(groups, eq(groups.id, groupMembers.groupId))
        .where(eq(groupMembers.userId, userId))
        .orderBy(asc(groups.createdAt), asc(groups.id))
        .all();
      if (mine.length === 0) return [];
      const ids = mine.map((m) => m.group.id);
      const byGroup = new Map<string, MemberRow[]>();
      // Chunked: SQLite caps bound parameters per statement.
      for (let i = 0; i < ids.length; i += 500) {
        const rows = db
          .select()
          .from(groupMembers)
          .where(inArray(groupMembers.groupId, ids.slice(i, i + 500)))
          .orderBy(asc(groupMembers.joinedAt), asc(groupMembers.userId))
          .all();
        for (const r of rows) {
          const list = byGroup.get(r.groupId) ?? [];
          list.push(r);
          byGroup.set(r.groupId, list);
        }
      }
      return mine.map((m) => toGroup(m.group, byGroup.get(m.group.id) ?? []));
    },

    findDm(dmKey: string): Group | undefined {
      const row = db.select().from(groups).where(eq(groups.dmKey, dmKey)).get();
      return row ? toGroup(row, members(row.id)) : undefined;
    },

    /** Insert a group and its members (the first member listed is the creator). */
    create(input: {
      id: string;
      kind: 'group' | 'dm';
      name: string;
      createdBy: string;
      dmKey?: string;
      members: { userId: string; role: GroupRole }[];
    }): Group {
      membershipCache.clear();
      const t = now();
      db.transaction(
        (tx) => {
          tx.insert(groups)
            .values({
              id: input.id,
              kind: input.kind,
              name: input.name,
              createdBy: input.createdBy,
              createdAt: t,
              dmKey: input.dmKey ?? null,
            })
            .run();
          if (input.members.length > 0) {
            tx.insert(groupMembers)
              .values(
                input.members.map((m) => ({
                  groupId: input.id,
                  userId: m.userId,
                  role: m.role,
                  joinedAt: t,
                })),
              )
              .run();
          }
        },
        { behavior: 'immediate' },
      );
      return load(input.id)!;
    },

    update(groupId: string, patch: GroupPatch): void {
      if (Object.keys(patch).length === 0) return;
      const { imagePolicy, ...rest } = patch;
      const set: Partial<GroupRow> = rest;
      if (imagePolicy !== undefined) {
        set.imagePolicy = imagePolicy === null ? null : JSON.stringify(imagePolicy);
      }
      db.update(groups).set(set).where(eq(groups.id, groupId)).run();
    },

    addMember(groupId: string, userId: string, role: GroupRole): void {
      membershipCache.clear();
      db.insert(groupMembers).values({ groupId, userId, role, joinedAt: now() }).run();
    },

    setRole(groupId: string, userId: string, role: GroupRole): void {
      membershipCache.clear();
      db.update(groupMembers)
        .set({ role })
        .where(and(eq(groupMembers.groupId, groupId), eq(groupMembers.userId, userId)))
        .run();
    },

    /** Owner hands over: the target becomes owner, the old owner an admin. */
    transferOwnership(groupId: string, fromUserId: string, toUserId: string): void {
      membershipCache.clear();
      db.transaction((tx) => {
        const set = (userId: string, role: GroupRole) =>
          tx
            .update(groupMembers)
            .set({ role })
            .where(and(eq(groupMembers.groupId, groupId), eq(groupMembers.userId, userId)))
            .run();
        set(fromUserId, 'admin');
        set(toUserId, 'owner');
      });
    },

    /**
     * Remove a member. If they owned the group, ownership passes to the longest-standing
     * admin, else the longest-standing member; with nobody left the group is deleted,
     * with its stored document.
     */
    removeMember(groupId: string, userId: string): RemoveOutcome {
      membershipCache.clear();
      return db.transaction(
        (tx) => {
          const row = tx
            .select()
            .from(groupMembers)
            .where(and(eq(groupMembers.groupId, groupId), eq(groupMembers.userId, userId)))
            .get();
          if (!row) return { kind: 'not-member' } as const;
          tx.delete(groupMembers)
            .where(and(eq(groupMembers.groupId, groupId), eq(groupMembers.userId, userId)))
            .run();
          const rest = tx
            .select()
            .from(groupMembers)
            .where(eq(groupMembers.groupId, groupId))
            .orderBy(asc(groupMembers.joinedAt), asc(groupMembers.userId))
            .all();
          if (rest.length === 0) {
            tx.delete(groups).where(eq(groups.id, groupId)).run();
            tx.delete(docUpdates).where(eq(docUpdates.groupId, groupId)).run();
            tx.delete(docSnapshots).where(eq(docSnapshots.groupId, groupId)).run();
            tx.delete(clientBindings).where(eq(clientBindings.groupId, groupId)).run();
            return { kind: 'group-deleted' } as const;
          }
          let newOwner: string | null = null;
          if (row.role === 'owner' && !rest.some((m) => m.role === 'owner')) {
            const heir = rest.find((m) => m.role === 'admin') ?? rest[0]!;
            tx.update(groupMembers)
              .set({ role: 'owner' })
              .where(and(eq(groupMembers.groupId, groupId), eq(groupMembers.userId, heir.userId)))
              .run();
            newOwner = heir.userId;
          }
          return { kind: 'removed', newOwner } as const;
        },
        { behavior: 'immediate' },
      );
    },

    memberIds(groupId: string): string[] {
      return members(groupId).map((m) => m.userId);
    },

    /** Everyone who shares at least one group with the user (the user included). */
    contactsOf(userId: string): string[] {
      const mine = db
        .select({ id: groupMembers.groupId })
        .from(groupMembers)
        .where(eq(groupMembers.userId, userId));
      const ids = db
        .selectDistinct({ userId: groupMembers.userId })
        .from(groupMembers)
        .where(inArray(groupMembers.groupId, mine))
        .all()
        .map((r) => r.userId);
      return ids.includes(userId) ? ids : [...ids, userId];
    },

    /** The other members of the user's direct messages. */
    dmPartnersOf(userId: string): string[] {
      const myDms = db
        .select({ id: groupMembers.groupId })
        .from(groupMembers)
        .innerJoin(groups, eq(groups.id, groupMembers.groupId))
        .where(and(eq(groupMembers.userId, userId), eq(groups.kind, 'dm')));
      return db
        .selectDistinct({ userId: groupMembers.userId })
        .from(groupMembers)
        .where(and(inArray(groupMembers.groupId, myDms), ne(groupMembers.userId, userId)))
        .all()
        .map((r) => r.userId);
    },

    count(): number {
      return (
        db
          .select({ n: sql<number>`count(*)` })
          .from(groups)
          .get()?.n ?? 0
      );
    },
  };
}

export type GroupStore = ReturnType<typeof createGroupStore>;
