import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { groupDoc, makeId, reactionKey, toggleReaction } from '@canopy/shared';
import type { MessageId, UserId } from '@canopy/shared';
import { createReactionIndex } from './reaction-index.js';

const ana = makeId<UserId>();
const ben = makeId<UserId>();
const msg = makeId<MessageId>();
const other = makeId<MessageId>();

describe('reaction index', () => {
  it('groups reactions by emoji, earliest first, and follows changes after it was built', () => {
    const doc = new Y.Doc();
    const reactions = groupDoc(doc).reactions;
    reactions.set(reactionKey(msg, ben, '🎉'), { at: 5 });
    reactions.set(reactionKey(msg, ana, '👍'), { at: 2 });
    reactions.set(reactionKey(msg, ben, '👍'), { at: 1 });
    reactions.set(reactionKey(other, ana, '😮'), { at: 3 });
    const index = createReactionIndex(doc);
    expect(index.of(msg)).toEqual([
      { emoji: '👍', users: [ben, ana] },
      { emoji: '🎉', users: [ben] },
    ]);

    toggleReaction(doc, msg, ben, '🎉');
    toggleReaction(doc, msg, ana, '❤️');
    expect(index.of(msg).map((r) => r.emoji)).toEqual(['👍', '❤️']);
    toggleReaction(doc, msg, ben, '👍');
    toggleReaction(doc, msg, ana, '👍');
    expect(index.of(msg)).toEqual([{ emoji: '❤️', users: [ana] }]);
    expect(index.of(other)).toEqual([{ emoji: '😮', users: [ana] }]);
    expect(index.of(makeId<MessageId>())).toEqual([]);
  });

  it('ignores malformed keys and follows remote updates', () => {
    const doc = new Y.Doc();
    const index = createReactionIndex(doc);
    expect(index.of(msg)).toEqual([]);
    const remote = new Y.Doc();
    groupDoc(remote).reactions.set('not-a-key', { at: 1 });
    groupDoc(remote).reactions.set(reactionKey(msg, ben, '👍'), { at: 1 });
    Y.applyUpdate(doc, Y.encodeStateAsUpdate(remote));
    expect(index.of(msg)).toEqual([{ emoji: '👍', users: [ben] }]);
    index.destroy();
  });
});
