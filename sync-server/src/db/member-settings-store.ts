// A member's own settings of a conversation, kept on their membership row (so leaving the
// group drops them): mutes and flags (star, unread). Nobody else reads them, and the
// group store's cached membership answers do not hold them.
import { and, eq, gt, isNotNull, or } from 'drizzle-orm';
import { CONVERSATION_FLAGS } from '@canopy/shared';
import type { ConversationFlag, Flag, GroupId, Mute } from '@canopy/shared';
import type { AppDatabase } from './open-database.js';
import { groupMembers } from './schema.js';

/** muted_until of a mute without an end (the largest time a Date holds) */
const MUTED_FOREVER = 8_640_000_000_000_000;

export function createMemberSettingsStore(db: AppDatabase, now: () => number = Date.now) {
  const member = (groupId: string, userId: string) =>
    and(eq(groupMembers.groupId, groupId), eq(groupMembers.userId, userId));

  return {
    /** Mute (until a moment, or `null`: until unmuted) or unmute (`false`) for one member. */
    setMute(groupId: string, userId: string, until: number | null | false): void {
      const mutedUntil = until === false ? null : (until ?? MUTED_FOREVER);
      db.update(groupMembers).set({ mutedUntil }).where(member(groupId, userId)).run();
    },

    /** The user's mutes still running at `at`. */
    mutesOf(userId: string, at: number = now()): Mute[] {
      return db
        .select({ groupId: groupMembers.groupId, until: groupMembers.mutedUntil })
        .from(groupMembers)
        .where(and(eq(groupMembers.userId, userId), gt(groupMembers.mutedUntil, at)))
        .all()
        .map((r) => ({
          groupId: r.groupId as GroupId,
          until: r.until === MUTED_FOREVER ? null : r.until,
        }));
    },

    /** Set (at a moment) or clear (`null`) one of a member's flags of a conversation. */
    setFlag(groupId: string, userId: string, flag: ConversationFlag, at: number | null): void {
      db.update(groupMembers)
        .set(flag === 'star' ? { starredAt: at } : { unreadMarkedAt: at })
        .where(member(groupId, userId))
        .run();
    },

    /** The flags the user set on their conversations. */
    flagsOf(userId: string): Flag[] {
      const rows = db
        .select({
          groupId: groupMembers.groupId,
          star: groupMembers.starredAt,
          unread: groupMembers.unreadMarkedAt,
        })
        .from(groupMembers)
        .where(
          and(
            eq(groupMembers.userId, userId),
            or(isNotNull(groupMembers.starredAt), isNotNull(groupMembers.unreadMarkedAt)),
          ),
        )
        .all();
      return rows.flatMap((r) =>
        CONVERSATION_FLAGS.flatMap((flag): Flag[] => {
          const at = r[flag];
          return at === null ? [] : [{ groupId: r.groupId as GroupId, flag, at }];
        }),
      );
    },
  };
}

export type MemberSettingsStore = ReturnType<typeof createMemberSettingsStore>;
