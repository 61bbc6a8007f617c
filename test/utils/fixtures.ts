// Common scenario set-up over the real HTTP API: users, a group with members, and honest
// message writing with the shared document helpers (the way the client writes).
import type * as Y from 'yjs';
import { appendMessage, groupDoc, makeId } from '@canopy/shared';
import type { Group, MessageId, MessageRecord, UserId } from '@canopy/shared';
import { HttpClient, newUser } from './http-client.js';

export interface GroupFixture {
  group: Group;
  /** creator of the group (role owner) */
  owner: HttpClient;
  /** plain members, in order */
  members: HttpClient[];
}

/** Signs up an owner and `memberCount` members and creates a group with all of them. */
export async function groupWithMembers(
  baseUrl: string,
  memberCount: number,
  name = 'team',
): Promise<GroupFixture> {
  const owner = await newUser(baseUrl, 'owner');
  const members: HttpClient[] = [];
  for (let i = 0; i < memberCount; i++) members.push(await newUser(baseUrl, `m${i}`));
  const group = await owner.createGroup(
    name,
    members.map((m) => m.userId),
  );
  return { group, owner, members };
}

export function textMessage(authorId: UserId, text: string, createdAt = Date.now()): MessageRecord {
  return { id: makeId<MessageId>(), authorId, createdAt, kind: 'text', text };
}

/** Appends a text message to `doc` as an honest client does; returns the record. */
export function writeMessage(doc: Y.Doc, authorId: UserId, text: string): MessageRecord {
  const record = textMessage(authorId, text);
  appendMessage(doc, record);
  return record;
}

export function messageIds(doc: Y.Doc): string[] {
  return groupDoc(doc)
    .messages.toArray()
    .map((m) => m.id);
}

export function messageTexts(doc: Y.Doc): (string | undefined)[] {
  return groupDoc(doc)
    .messages.toArray()
    .map((m) => m.text);
}

export { HttpClient };
