// Shape and authorship of the items an update adds. Every item must sit directly in one of
// the group document's roots (messages: a list, no key; the others: maps, with a key) and
// every value must parse with the shared schemas and speak for the sender only: messages
// carry the sender's authorId, markers and reactions live under the sender's own key,
// edits, upload states and own tombstones target the sender's messages, pins and foreign tombstones need
// a moderator. Writing a map key also deletes its current value (Yjs does that on
// integration, outside the delete set), so overwriting another user's value is checked here.
import {
  DocRoot,
  docMapValueSchemas,
  isId,
  messageRecordSchema,
  parseReactionKey,
} from '@canopy/shared';
import type * as Y from 'yjs';
import type { Sender } from '../update-guard.js';
import type { WireItem } from './decode-update.js';
import { reject } from './refusal.js';

type MapRoot = keyof typeof docMapValueSchemas;

export interface RecordContext {
  sender: Sender;
  moderator: boolean;
  /** author of a message: already in the room, or added by this update */
  authorOf(messageId: string): string | undefined;
  /** current value item of a map key in the document */
  currentValue(root: MapRoot, key: string): Y.Item | undefined;
  ownerOf(client: number): string | undefined;
}

function isMapRoot(root: string): root is MapRoot {
  return Object.hasOwn(docMapValueSchemas, root);
}

/** Who a map key belongs to, when the key itself names a user (directly or via a message). */
export function keyOwner(root: string, key: string, ctx: RecordContext): string | undefined {
  switch (root) {
    case DocRoot.readMarkers:
    case DocRoot.deliveredMarkers:
      return key;
    case DocRoot.reactions:
      return parseReactionKey(key)?.userId;
    case DocRoot.edits:
    case DocRoot.deletions:
    case DocRoot.uploads:
      return ctx.authorOf(key);
    default:
      return undefined; // pins, and anything else: keys name no user
  }
}

/** May the sender write (set or replace) this key at all? */
function checkKeyWrite(root: MapRoot, key: string, ctx: RecordContext): void {
  const me = ctx.sender.userId;
  switch (root) {
    case DocRoot.readMarkers:
    case DocRoot.deliveredMarkers:
      if (key !== me) reject('foreign marker');
      return;
    case DocRoot.reactions:
      if (keyOwner(root, key, ctx) !== me) reject('foreign reaction');
      return;
    // An unknown message id is a message this server never saw (posted, edited and deleted
    // while offline: only its edit and tombstone arrive) or whose content is long gone. Ids
    // are random, so an entry under such an id cannot be pinned on anyone's message.
    case DocRoot.edits: {
      if (!isId(key)) reject('bad message id');
      const author = ctx.authorOf(key);
      if (author !== undefined && author !== me) reject('edit of a foreign message');
      return;
    }
    case DocRoot.deletions: {
      if (!isId(key)) reject('bad message id');
      const author = ctx.authorOf(key);
      if (author !== undefined && author !== me && !ctx.moderator) reject('foreign deletion');
      return;
    }
    case DocRoot.uploads: {
      if (!isId(key)) reject('bad message id');
      const author = ctx.authorOf(key);
      if (author !== undefined && author !== me) reject('upload state of a foreign message');
      return;
    }
    case DocRoot.pins:
      if (!ctx.moderator) reject('pin needs a moderator');
      if (!isId(key)) reject('bad message id');
      return;
  }
}

/** Writing the key deletes its current value: that must be ours, or ours to replace. */
function checkOverwrite(root: MapRoot, key: string, ctx: RecordContext): void {
  const current = ctx.currentValue(root, key);
  if (current === undefined || current.deleted) return;
  const me = ctx.sender.userId;
  if (ctx.ownerOf(current.id.client) === me || keyOwner(root, key, ctx) === me) return;
  if (ctx.moderator && (root === DocRoot.deletions || root === DocRoot.pins)) return;
  reject('overwrites a foreign value');
}

/**
 * Plain JSON data only. lib0's decoder builds objects by assignment, so a `__proto__` key
 * on the wire swaps an object's prototype: the schema would then read inherited fields
 * that another decoder (or a re-encode, which walks inherited keys) sees differently.
 */
function isPlainData(value: unknown, depth = 0): boolean {
  if (value === null || typeof value !== 'object') {
    return typeof value !== 'bigint' && value !== undefined;
  }
  if (depth > 8) return false;
  if (Array.isArray(value)) return value.every((v) => isPlainData(v, depth + 1));
  if (Object.getPrototypeOf(value) !== Object.prototype) return false;
  for (const key in value) {
    if (!Object.hasOwn(value, key)) return false;
    if (!isPlainData((value as Record<string, unknown>)[key], depth + 1)) return false;
  }
  return true;
}

function checkMapValue(root: MapRoot, value: unknown, ctx: RecordContext): void {
  if (!isPlainData(value)) reject(`invalid ${root} value`);
  const parsed = docMapValueSchemas[root].safeParse(value);
  if (!parsed.success) reject(`invalid ${root} value`);
  const data: object = parsed.data;
  if ('by' in data && data.by !== ctx.sender.userId) reject(`forged ${root} author`);
}

function checkMessage(
  value: unknown,
  sender: Sender,
  known: (id: string) => string | undefined,
  fresh: Map<string, string>,
): void {
  if (!isPlainData(value)) reject('invalid message');
  const parsed = messageRecordSchema.safeParse(value);
  if (!parsed.success) reject('invalid message');
  const message = parsed.data;
  if (message.authorId !== sender.userId) reject('forged author');
  if (message.kind === 'bot' && !sender.isBot) reject('bot message from a member');
  if (fresh.has(message.id) || known(message.id) !== undefined) reject('duplicate message id');
  fresh.set(message.id, message.authorId);
}

/**
 * Check the update's new messages and return them (id → author), so that edits and
 * tombstones in the same update can refer to them.
 */
export function collectMessages(
  items: readonly WireItem[],
  sender: Sender,
  known: (id: string) => string | undefined,
): Map<string, string> {
  const fresh = new Map<string, string>();
  for (const item of items) {
    if (item.root !== DocRoot.messages) continue;
    if (item.sub !== null) reject('keyed message');
    const values = item.values;
    if (values === null) continue;
    for (let i = item.offset; i < values.length; i++) checkMessage(values[i], sender, known, fresh);
  }
  return fresh;
}

/** Shape, key and value rules for every item that takes effect. */
export function checkMapItems(items: readonly WireItem[], ctx: RecordContext): void {
  for (const item of items) {
    const root = item.root;
    if (root === DocRoot.messages) continue;
    if (root === null || !isMapRoot(root)) return reject('unknown root');
    const key = item.sub;
    if (key === null) return reject('map item without key');
    checkKeyWrite(root, key, ctx);
    checkOverwrite(root, key, ctx);
    const values = item.values;
    if (values === null) continue;
    for (let i = item.offset; i < values.length; i++) checkMapValue(root, values[i], ctx);
  }
}
