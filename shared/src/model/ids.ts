// Branded ids. Parse at the boundary (HTTP params, document records), trust inside.
import { z } from 'zod';

declare const brand: unique symbol;
type Brand<T, B extends string> = T & { readonly [brand]: B };

export type UserId = Brand<string, 'UserId'>;
export type GroupId = Brand<string, 'GroupId'>;
export type MessageId = Brand<string, 'MessageId'>;

// Ids are 16-32 chars of base64url: safe in URLs, file names and SQLite keys, and a
// path like `../x` or an empty string can never be one.
export const ID_PATTERN = /^[A-Za-z0-9_-]{16,32}$/;

const idString = z.string().regex(ID_PATTERN, 'invalid id');
export const userIdSchema = idString.transform((s) => s as UserId);
export const groupIdSchema = idString.transform((s) => s as GroupId);
export const messageIdSchema = idString.transform((s) => s as MessageId);

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
