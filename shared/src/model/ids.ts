// Branded ids. Parse at the boundary (HTTP params, document records), trust inside.
import { z } from 'zod';

// Ids are 16-32 chars of base64url: safe in URLs, file names and SQLite keys, and a
// path like `../x` or an empty string can never be one.
export const ID_PATTERN = /^[A-Za-z0-9_-]{16,32}$/;

// zod brands exist only in the types: parsing is the regex check and nothing else (a
// transform would add a pipe, and its allocations, to every record the relay judges).
// (`.brand()` returns the schema it is called on: one string schema per kind of id.)
const idString = () => z.string().regex(ID_PATTERN, 'invalid id');
export const userIdSchema = idString().brand<'UserId'>();
export const groupIdSchema = idString().brand<'GroupId'>();
export const messageIdSchema = idString().brand<'MessageId'>();

export type UserId = z.infer<typeof userIdSchema>;
export type GroupId = z.infer<typeof groupIdSchema>;
export type MessageId = z.infer<typeof messageIdSchema>;

export function isId(value: unknown): value is string {
  return typeof value === 'string' && ID_PATTERN.test(value);
}

interface RandomSource {
  getRandomValues(array: Uint8Array): Uint8Array;
}

const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_-';

/** A random 21-char base64url id (126 bits) from the platform's CSPRNG. */
export function makeId<T extends string = string>(): T {
  const bytes = new Uint8Array(21);
  // Web Crypto is global in browsers and Node >= 19; typed here without DOM or node types.
  (globalThis as unknown as { crypto: RandomSource }).crypto.getRandomValues(bytes);
  let out = '';
  for (const b of bytes) out += ALPHABET[b & 63];
  return out as T;
}
