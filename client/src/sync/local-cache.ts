// What the app needs to start with no network: the last signed-in profile, the group list,
// the users seen, per-group sidebar summaries, my mutes and conversation flags, and whether
// a logout is still to be sent.
// Everything is parsed when loaded (the store may hold an older shape) and a parse failure
// reads as "not cached".
import {
  groupIdSchema,
  groupSchema,
  muteSchema,
  publicUserSchema,
  conversationFlagSchema,
  flagSchema,
  userIdSchema,
  userSchema,
} from '@canopy/shared';
import type { Flag, Group, GroupId, Mute, PublicUser, User, UserId } from '@canopy/shared';
import { z } from 'zod';
import type { KvStore } from './idb-kv.js';
import { log } from '../log.js';

const logger = log.child('cache');

export const groupSummarySchema = z.object({
  lastText: z.string().optional(),
  lastAuthorId: userIdSchema.optional(),
  lastAt: z.number().optional(),
  unread: z.number().int().nonnegative(),
  /** an unread message mentions me */
  mentioned: z.boolean().optional(),
});
export type GroupSummary = z.infer<typeof groupSummarySchema>;

const sessionSchema = z.object({ user: userSchema });
const groupsSchema = z.array(groupSchema);
const usersSchema = z.array(publicUserSchema);
const summariesSchema = z.record(z.string(), groupSummarySchema);
const replacementsSchema = z.record(z.string(), groupIdSchema);
const mutesSchema = z.array(muteSchema);
const flagOpSchema = z.object({
  groupId: groupIdSchema,
  flag: conversationFlagSchema,
  on: z.boolean(),
});
export type FlagOp = z.infer<typeof flagOpSchema>;
const flagsSchema = z.object({ flags: z.array(flagSchema), ops: z.array(flagOpSchema) });

export interface LocalCache {
  loadUser(): Promise<User | null>;
  saveUser(user: User | null): Promise<void>;
  loadGroups(userId: UserId): Promise<Group[]>;
  saveGroups(userId: UserId, groups: Group[]): Promise<void>;
  loadUsers(userId: UserId): Promise<PublicUser[]>;
  saveUsers(userId: UserId, users: PublicUser[]): Promise<void>;
  loadSummaries(userId: UserId): Promise<Partial<Record<GroupId, GroupSummary>>>;
  saveSummaries(userId: UserId, s: Partial<Record<GroupId, GroupSummary>>): Promise<void>;
  /** The conversations I muted, as last heard from the server or changed here. */
  loadMutes(userId: UserId): Promise<Mute[]>;
  saveMutes(userId: UserId, mutes: Mute[]): Promise<void>;
  /** My conversation flags as last heard from the server, and my changes not yet sent. */
  loadFlags(userId: UserId): Promise<{ flags: Flag[]; ops: FlagOp[] }>;
  saveFlags(userId: UserId, flags: { flags: Flag[]; ops: FlagOp[] }): Promise<void>;
  /** Stand-in ids of groups made offline → the real ids they became. */
  loadReplacements(userId: UserId): Promise<Record<string, GroupId>>;
  saveReplacements(userId: UserId, r: Record<string, GroupId>): Promise<void>;
  /** A logout the server has not acknowledged yet (made offline). */
  loadPendingLogout(): Promise<boolean>;
  savePendingLogout(pending: boolean): Promise<void>;
}

export function makeLocalCache(kv: KvStore): LocalCache {
  async function load<T>(key: string, schema: z.ZodType<T>, fallback: T): Promise<T> {
    try {
      const raw = await kv.get(key);
      if (raw === undefined) return fallback;
      const parsed = schema.safeParse(raw);
      if (parsed.success) return parsed.data;
      logger.warn('cached record has an unexpected shape; ignoring it', { key });
    } catch (err) {
      logger.warn('cannot read local cache', { key, err: String(err) });
    }
    return fallback;
  }
  async function save(key: string, value: unknown): Promise<void> {
    try {
      await kv.set(key, value);
    } catch (err) {
      logger.warn('cannot write local cache', { key, err: String(err) });
    }
  }
  return {
    loadUser: async () => (await load('session', sessionSchema.nullable(), null))?.user ?? null,
    saveUser: (user) => save('session', user ? { user } : null),
    loadGroups: (uid) => load(`groups:${uid}`, groupsSchema, []),
    saveGroups: (uid, groups) => save(`groups:${uid}`, groups),
    loadUsers: (uid) => load(`users:${uid}`, usersSchema, []),
    saveUsers: (uid, users) => save(`users:${uid}`, users),
    loadSummaries: (uid) => load(`summaries:${uid}`, summariesSchema, {}),
    saveSummaries: (uid, s) => save(`summaries:${uid}`, s),
    loadMutes: (uid) => load(`mutes:${uid}`, mutesSchema, []),
    saveMutes: (uid, mutes) => save(`mutes:${uid}`, mutes),
    loadFlags: (uid) => load(`flags:${uid}`, flagsSchema, { flags: [], ops: [] }),
    saveFlags: (uid, flags) => save(`flags:${uid}`, flags),
    loadReplacements: (uid) =>
      load<Record<string, GroupId>>(`replacements:${uid}`, replacementsSchema, {}),
    saveReplacements: (uid, r) => save(`replacements:${uid}`, r),
    loadPendingLogout: () => load('pending-logout', z.boolean(), false),
    savePendingLogout: (pending) => save('pending-logout', pending),
  };
}
