import { describe, expect, it } from 'vitest';
import { makeId } from '@canopy/shared';
import type { MessageId, MessageRecord, UserId } from '@canopy/shared';
import { buildContents, MAX_CONTEXT_CHARS_PER_MESSAGE, mentionsAssistant } from './build-prompt.js';

const bot = makeId<UserId>();
const ann = makeId<UserId>();
const bob = makeId<UserId>();
const names = new Map([
  [ann, 'Ann'],
  [bob, 'Bob'],
]);

function msg(authorId: UserId, text?: string, extra: Partial<MessageRecord> = {}): MessageRecord {
  return {
    id: makeId<MessageId>(),
    authorId,
    createdAt: 1,
    kind: authorId === bot ? 'bot' : 'text',
    ...(text === undefined ? {} : { text }),
    ...extra,
  };
}

describe('mentionsAssistant', () => {
  it.each([
    ['@assistant hi', true],
    ['hey @Assistant, what now?', true],
    ['(@ASSISTANT)', true],
    ['ask @assistant.', true],
    ['assistant without the at sign', false],
    ['mail@assistant.example', false],
    ['@assistants are many', false],
    ['@assistant_bot is not me', false],
    ['@@assistant', false],
  ])('%s → %s', (text, expected) => {
    expect(mentionsAssistant(text)).toBe(expected);
  });

  it('is false without text', () => {
    expect(mentionsAssistant(undefined)).toBe(false);
  });
});

describe('buildContents', () => {
  const nameOf = (id: UserId): string => names.get(id) ?? 'Someone';

  it('makes people user turns with names, the bot model turns, merging runs', () => {
    const contents = buildContents(
      [msg(ann, 'hi'), msg(bob, 'hello'), msg(bot, 'Hi both'), msg(ann, '@assistant 2+2?')],
      bot,
      nameOf,
    );
    expect(contents).toEqual([
      { role: 'user', parts: [{ text: 'Ann: hi' }, { text: 'Bob: hello' }] },
      { role: 'model', parts: [{ text: 'Hi both' }] },
      { role: 'user', parts: [{ text: 'Ann: @assistant 2+2?' }] },
    ]);
  });

  it('starts with a user turn, notes attachments without their bytes, clips long text', () => {
    const image = {
      sha256: 'a'.repeat(64),
      mime: 'image/png',
      size: 10,
      name: 'cat.png',
    };
    const contents = buildContents(
      [
        msg(bot, 'earlier answer'),
        msg(ann, undefined, { kind: 'image', attachment: image }),
        msg(bob, 'x'.repeat(MAX_CONTEXT_CHARS_PER_MESSAGE + 50)),
      ],
      bot,
      nameOf,
    );
    expect(contents).toHaveLength(1);
    const [first, second] = contents[0]!.parts;
    expect(first).toEqual({ text: 'Ann: [image: cat.png]' });
    expect(second?.text).toHaveLength('Bob: '.length + MAX_CONTEXT_CHARS_PER_MESSAGE + 1);
  });
});
