// Email for people who are away: a direct message, or a message that mentions them, while
// they have no app open (no event stream) waits `delayMs`; if they are still away then, one
// email sums up everything that came in meanwhile ("Ana mentioned you in Design", "Ben
// sent you 2 messages") with links. No message text goes into an email. After one email,
// nothing more is sent until the person has been back, so a busy day is one email, not
// many. Muted conversations email only for mentions; the email setting of the profile,
// bans and bot accounts are honoured when the email is due. State is in memory: a restart
// forgets what was waiting.
import type { GroupId, MessageId, UserId } from '@canopy/shared';
import type { GroupStore } from '../db/group-store.js';
import type { UserStore } from '../db/user-store.js';
import type { ActivitySource } from '../events/activity-fanout.js';
import type { Presence } from '../events/presence.js';
import type { Logger } from '../log.js';
import { mailErrorCode } from './mailer.js';
import type { Mail } from './mailer.js';

interface Waiting {
  /** per conversation, in the order they came in */
  news: Map<GroupId, { dm: boolean; mentions: number; messages: number; authors: Set<UserId> }>;
  timer: NodeJS.Timeout;
}

export interface AwayNotifierOptions {
  activity: ActivitySource;
  presence: Pick<Presence, 'isOnline' | 'onOpened'>;
  groups: Pick<GroupStore, 'get' | 'members' | 'membership'>;
  users: Pick<UserStore, 'get'>;
  send: (mail: Mail) => Promise<void>;
  delayMs: number;
  /** links in the email go here; without it the email has none */
  publicOrigin: string | null;
  log: Logger;
  now?: () => number;
}

export function startAwayNotifier(options: AwayNotifierOptions): () => void {
  const { groups, users, presence, log } = options;
  const now = options.now ?? Date.now;
  const waiting = new Map<string, Waiting>();
  /** emailed, and not back since */
  const emailed = new Set<string>();

  const note = (
    userId: string,
    groupId: GroupId,
    authorId: UserId,
    dm: boolean,
    mention: boolean,
  ) => {
    let entry = waiting.get(userId);
    if (!entry) {
      const timer = setTimeout(() => void due(userId), options.delayMs);
      timer.unref();
      entry = { news: new Map(), timer };
      waiting.set(userId, entry);
    }
    let news = entry.news.get(groupId);
    if (!news) {
      news = { dm, mentions: 0, messages: 0, authors: new Set() };
      entry.news.set(groupId, news);
    }
    news.messages += 1;
    if (mention) news.mentions += 1;
    news.authors.add(authorId);
  };

  const due = async (userId: string): Promise<void> => {
    const entry = waiting.get(userId);
    waiting.delete(userId);
    if (!entry || presence.isOnline(userId)) return;
    const user = users.get(userId);
    if (!user || !user.emailNotifications || user.banned || user.isBot) return;
    const mail = composeMail(user.displayName, entry, {
      nameOf: (id) => users.get(id)?.displayName ?? 'Someone',
      groupName: (id) => groups.get(id)?.name ?? 'a conversation',
      publicOrigin: options.publicOrigin,
    });
    emailed.add(userId);
    try {
      await options.send({ to: user.email, ...mail });
      log.info({ userId, conversations: entry.news.size }, 'away email sent');
    } catch (err) {
      emailed.delete(userId); // the next message may try again
      log.warn({ userId, code: mailErrorCode(err) }, 'away email failed');
    }
  };

  const onMessage = (a: {
    groupId: GroupId;
    authorId: UserId;
    messageId?: MessageId;
    change?: 'edit' | 'delete';
    mentions?: string[];
  }): void => {
    // An edit counts only for the people it newly mentions (see room-message-events.ts).
    const edit = a.change === 'edit';
    if (!a.messageId || (a.change && !edit)) return;
    // The relay's cached membership answer names the conversation's kind: no query for
    // the many messages that are neither in a DM nor mention anyone.
    const author = groups.membership(a.groupId, a.authorId);
    if (author.kind !== 'member') return;
    const dm = author.conversation === 'dm';
    const named = new Set(a.mentions);
    if ((edit || !dm) && named.size === 0) return;
    const at = now();
    for (const member of groups.members(a.groupId)) {
      const id = member.userId;
      if (id === a.authorId || emailed.has(id) || presence.isOnline(id)) continue;
      const user = users.get(id);
      if (!user || !user.emailNotifications || user.isBot || user.banned) continue;
      const mention = named.has(user.username.toLowerCase());
      if ((edit || !dm) && !mention) continue;
      const muted = member.mutedUntil !== null && member.mutedUntil > at;
      if (muted && !mention) continue;
      note(id, a.groupId, a.authorId, dm, mention);
    }
  };

  const stopActivity = options.activity.onActivity((a) => {
    try {
      onMessage(a);
    } catch (err) {
      // A database error here must not fail the write that caused it.
      log.warn({ err, groupId: a.groupId }, 'away notifier skipped a message');
    }
  });
  const stopPresence = presence.onOpened((userId) => {
    const entry = waiting.get(userId);
    if (entry) clearTimeout(entry.timer);
    waiting.delete(userId);
    emailed.delete(userId);
  });
  return () => {
    stopActivity();
    stopPresence();
    for (const entry of waiting.values()) clearTimeout(entry.timer);
    waiting.clear();
  };
}

/** Subject and text of the email for what came in while someone was away. Pure. */
export function composeMail(
  recipientName: string,
  entry: Pick<Waiting, 'news'>,
  lookup: {
    nameOf: (id: UserId) => string;
    groupName: (id: GroupId) => string;
    publicOrigin: string | null;
  },
): { subject: string; text: string } {
  const lines: string[] = [];
  const items: string[] = [];
  for (const [groupId, news] of entry.news) {
    const names = [...news.authors].map(lookup.nameOf);
    const who =
      names.length === 1
        ? names[0]!
        : `${names.slice(0, -1).join(', ')} and ${names[names.length - 1]!}`;
    const times = (n: number, one: string, many: string): string =>
      n === 1 ? one : `${n} ${many}`;
    const item = news.dm
      ? `${who} sent you ${times(news.messages, 'a message', 'messages')}`
      : `${who} mentioned you ${news.mentions === 1 ? '' : `${news.mentions} times `}in ${lookup.groupName(groupId)}`;
    items.push(item);
    lines.push(`- ${item}`);
    if (lookup.publicOrigin) lines.push(`  ${lookup.publicOrigin}/g/${groupId}`);
  }
  const subject =
    items.length === 1 ? items[0]! : `${items.length} conversations have news for you`;
  const text = [
    `Hi ${recipientName},`,
    '',
    'While you were away:',
    '',
    ...lines,
    '',
    lookup.publicOrigin
      ? `Open Canopy to read them: ${lookup.publicOrigin}/`
      : 'Open Canopy to read them.',
    '',
    'You get these emails because "Email me while I am away" is on in your profile.',
    'Turn it off there to stop them.',
    '',
  ].join('\n');
  return { subject, text };
}
