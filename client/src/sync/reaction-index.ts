// Reactions by message. The document keeps one `reactions` entry per (message, user,
// emoji); a row needs "👍 2, mine" for its own message. The index is built on first use (one
// pass over the entries) and then follows the map's changed keys, so a row's lookup is a
// map read, also in a group with 100k messages.
import { groupDoc, parseReactionKey } from '@canopy/shared';
import type { MessageId, ReactionRecord, UserId } from '@canopy/shared';
import type * as Y from 'yjs';

export interface ReactionSummary {
  emoji: string;
  /** who reacted, earliest first */
  users: UserId[];
}

export interface ReactionIndex {
  /** The message's reactions, the emoji reacted first first; [] when it has none. */
  of(messageId: MessageId): ReactionSummary[];
  destroy(): void;
}

/** messageId → emoji → userId → when */
type Entries = Map<MessageId, Map<string, Map<UserId, number>>>;

export function createReactionIndex(doc: Y.Doc): ReactionIndex {
  const reactions = groupDoc(doc).reactions;
  let entries: Entries | null = null;
  const cache = new Map<MessageId, ReactionSummary[]>();

  const put = (map: Entries, key: string, record: ReactionRecord | undefined): void => {
    const parsed = parseReactionKey(key);
    if (!parsed) return;
    const { messageId, userId, emoji } = parsed;
    cache.delete(messageId);
    let byEmoji = map.get(messageId);
    if (record === undefined) {
      const users = byEmoji?.get(emoji);
      users?.delete(userId);
      if (users?.size === 0) byEmoji?.delete(emoji);
      if (byEmoji?.size === 0) map.delete(messageId);
      return;
    }
    if (!byEmoji) {
      byEmoji = new Map<string, Map<UserId, number>>();
      map.set(messageId, byEmoji);
    }
    let users = byEmoji.get(emoji);
    if (!users) {
      users = new Map<UserId, number>();
      byEmoji.set(emoji, users);
    }
    users.set(userId, typeof record.at === 'number' ? record.at : 0);
  };

  const build = (): Entries => {
    const map: Entries = new Map();
    reactions.forEach((record, key) => put(map, key, record));
    return map;
  };

  const observer = (event: Y.YMapEvent<ReactionRecord>): void => {
    if (!entries) return;
    for (const key of event.keysChanged as Set<string>) put(entries, key, reactions.get(key));
  };
  reactions.observe(observer);

  return {
    of(messageId) {
      const cached = cache.get(messageId);
      if (cached) return cached;
      entries ??= build();
      const byEmoji = entries.get(messageId);
      const summary: ReactionSummary[] = [];
      if (byEmoji) {
        const first = new Map<string, number>();
        for (const [emoji, users] of byEmoji) {
          const sorted = [...users].sort((a, b) => a[1] - b[1]);
          summary.push({ emoji, users: sorted.map(([u]) => u) });
          first.set(emoji, sorted[0]?.[1] ?? 0);
        }
        summary.sort((a, b) => (first.get(a.emoji) ?? 0) - (first.get(b.emoji) ?? 0));
      }
      cache.set(messageId, summary);
      return summary;
    },
    destroy() {
      reactions.unobserve(observer);
      entries = null;
      cache.clear();
    },
  };
}
