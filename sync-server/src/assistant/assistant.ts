// createAssistant: the Gemini-backed bot. Watches committed messages (the relay's activity
// hook) and answers a human member's `@assistant` mention in a group where the bot is
// enabled, streaming the answer into the document as the bot's own message.
// Bounded: one answer in flight per group, a few at once server-wide, per-group and
// per-user rates, a deadline. Never logs message text or the key; never throws into the relay.
import type { GroupId, MessageId, MessageRecord, UserId } from '@canopy/shared';
import { createRateLimiter } from '../auth/rate-limiter.js';
import type { GroupStore } from '../db/group-store.js';
import type { UserStore } from '../db/user-store.js';
import type { Logger } from '../log.js';
import { MessageNotFoundError, RelayError } from '../relay/relay-errors.js';
import type { Relay } from '../relay/relay-types.js';
import { startAnswer } from './answer-writer.js';
import { buildContents, mentionsAssistant, SYSTEM_INSTRUCTION } from './build-prompt.js';
import { createGeminiClient, failureReason } from './gemini-client.js';
import type { GeminiSettings } from './gemini-client.js';

export const ASSISTANT_DEFAULTS = {
  /** recent messages sent as context, the mention included */
  contextMessages: 20,
  timeoutMs: 30_000,
  /** at most one edit of the growing answer per this many ms */
  throttleMs: 300,
  perGroupPerMinute: 10,
  perUserPerMinute: 5,
  /** answers in flight across the server */
  maxConcurrent: 8,
};
export type AssistantLimits = typeof ASSISTANT_DEFAULTS;

/** Usernames tried for the bot account, in order (a person may hold the first). */
const BOT_USERNAMES = ['assistant', 'assistant_bot'];
const BOT_DISPLAY_NAME = 'Assistant';
const MINUTE = 60_000;
/** abort reason when the server shuts down (the answer says so instead of a timeout) */
const CLOSING = 'closing';

export interface AssistantOptions {
  relay: Pick<Relay, 'onActivity' | 'postMessage' | 'editMessage' | 'listMessages'>;
  groups: Pick<GroupStore, 'get' | 'membership'>;
  users: Pick<UserStore, 'get' | 'ensureBot'>;
  gemini: GeminiSettings;
  log: Logger;
  limits?: Partial<AssistantLimits>;
}

export interface Assistant {
  botId: UserId;
  /** Stop listening; running answers end with a short note. Call before the relay closes. */
  close(): Promise<void>;
}

export function createAssistant(options: AssistantOptions): Assistant {
  const { relay, groups, users } = options;
  const log = options.log.child({ mod: 'assistant' });
  const limits: AssistantLimits = { ...ASSISTANT_DEFAULTS, ...options.limits };
  const botId = users.ensureBot(BOT_USERNAMES, BOT_DISPLAY_NAME).id as UserId;
  const gemini = createGeminiClient(options.gemini, SYSTEM_INSTRUCTION);
  const groupRate = createRateLimiter({ limit: limits.perGroupPerMinute, windowMs: MINUTE });
  const userRate = createRateLimiter({ limit: limits.perUserPerMinute, windowMs: MINUTE });
  // A flood of refused mentions must not become a flood of bot messages.
  const notices = createRateLimiter({ limit: 1, windowMs: MINUTE });
  const answering = new Set<GroupId>();
  const controllers = new Set<AbortController>();
  const tasks = new Set<Promise<void>>();
  let closing = false;

  function track(task: Promise<void>): void {
    const settled = task
      .catch((err: unknown) => log.error({ err }, 'assistant task failed'))
      .finally(() => tasks.delete(settled));
    tasks.add(settled);
  }

  /** A refusal reason for a member to read, or null (then the request is counted). */
  function admit(groupId: GroupId, userId: UserId): string | null {
    if (answering.has(groupId))
      return 'The assistant is still answering here; ask again when it is done.';
    if (answering.size >= limits.maxConcurrent)
      return 'The assistant is busy; ask again in a moment.';
    const perGroup = groupRate.check(groupId);
    if (!perGroup.ok) {
      return `The assistant has answered a lot here lately; ask again in ${perGroup.retryAfterSeconds} s.`;
    }
    const perUser = userRate.check(userId);
    if (!perUser.ok) {
      return `You have asked the assistant a lot lately; ask again in ${perUser.retryAfterSeconds} s.`;
    }
    groupRate.hit(groupId);
    userRate.hit(userId);
    return null;
  }

  function nameOf(id: UserId): string {
    const row = users.get(id);
    return row ? row.displayName || row.username : 'Someone';
  }

  async function answer(
    groupId: GroupId,
    context: MessageRecord[],
    replyTo: MessageId,
  ): Promise<void> {
    const controller = new AbortController();
    const timer = setTimeout(() => controller.abort('timeout'), limits.timeoutMs);
    timer.unref();
    controllers.add(controller);
    const started = Date.now();
    try {
      const writer = await startAnswer({
        relay,
        groupId,
        botId,
        replyTo,
        throttleMs: limits.throttleMs,
      });
      try {
        for await (const piece of gemini.stream(
          buildContents(context, botId, nameOf),
          controller.signal,
        )) {
          await writer.append(piece);
          if (writer.full) break;
        }
        await writer.finish();
        log.info({ groupId, ms: Date.now() - started }, 'assistant answered');
      } catch (err) {
        // The relay refused a write (answer deleted, document full or unavailable): stop.
        if (err instanceof RelayError) throw err;
        const status = (err as { status?: unknown }).status;
        log.warn(
          { groupId, error: (err as Error).name, status, ms: Date.now() - started },
          'assistant request failed',
        );
        await writer.fail(
          controller.signal.reason === CLOSING
            ? 'the server is restarting'
            : failureReason(err, Math.round(limits.timeoutMs / 1000)),
        );
      }
    } catch (err) {
      if (!(err instanceof RelayError)) throw err;
      const deleted = err instanceof MessageNotFoundError;
      log.info(
        { groupId, error: err.name },
        deleted ? 'assistant answer deleted; stopped' : 'assistant answer not written',
      );
    } finally {
      clearTimeout(timer);
      controllers.delete(controller);
      // Ends the HTTP stream if the loop stopped early (size cap, deleted answer).
      controller.abort('done');
    }
  }

  async function consider(groupId: GroupId, authorId: UserId, messageId: MessageId): Promise<void> {
    const page = await relay.listMessages(groupId, { limit: limits.contextMessages });
    const at = page.messages.findIndex((m) => m.id === messageId);
    const trigger = page.messages[at];
    // Deleted already, or pushed out of the window by a burst: not worth an answer.
    if (closing || !trigger || !mentionsAssistant(trigger.text)) return;
    const bot = users.get(botId);
    if (!bot || bot.banned) {
      log.info({ groupId }, 'assistant mention ignored: the bot account is banned');
      return;
    }
    const refusal = admit(groupId, authorId);
    if (refusal !== null) {
      const notify = notices.hit(groupId).ok;
      log.info({ groupId, notified: notify }, 'assistant request refused');
      if (notify)
        await relay.postMessage(groupId, botId, { kind: 'bot', text: refusal, replyTo: messageId });
      return;
    }
    answering.add(groupId);
    try {
      await answer(groupId, page.messages.slice(0, at + 1), messageId);
    } finally {
      answering.delete(groupId);
    }
  }

  const unsubscribe = relay.onActivity((activity) => {
    const { groupId, authorId, messageId } = activity;
    // New messages only: an edit adding a mention does not call the assistant.
    if (closing || messageId === undefined || activity.change || authorId === botId) return;
    const group = groups.get(groupId);
    if (!group?.botEnabled || group.kind !== 'group') return;
    const member = groups.membership(groupId, authorId);
    if (member.kind !== 'member' || member.isBot) return;
    track(consider(groupId, authorId, messageId));
  });

  log.info(
    { model: options.gemini.model, custom_endpoint: options.gemini.baseUrl !== null },
    'assistant ready',
  );

  return {
    botId,
    async close() {
      closing = true;
      unsubscribe();
      for (const controller of controllers) controller.abort(CLOSING);
      await Promise.allSettled([...tasks]);
    },
  };
}
