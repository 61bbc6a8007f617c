// Password hashing with argon2id (@node-rs/argon2 runs it on libuv's thread pool, off the
// event loop). Verification of an unknown account still runs one real verify against a
// dummy hash, so response time does not tell whether an account exists.
import { hash, verify } from '@node-rs/argon2';
import type { Algorithm } from '@node-rs/argon2';
import { randomBytes } from 'node:crypto';

// OWASP's minimum for argon2id: 19 MiB, 2 passes, 1 lane. Algorithm is a const enum in
// the typings (not usable under isolatedModules); 2 is Argon2id.
const ARGON2_OPTIONS = {
  algorithm: 2 as Algorithm.Argon2id,
  memoryCost: 19456,
  timeCost: 2,
  parallelism: 1,
};

export function hashPassword(password: string): Promise<string> {
  return hash(password, ARGON2_OPTIONS);
}

export interface PasswordVerifier {
  /** false for a wrong password or a missing hash; never throws for a malformed stored hash */
  verify(storedHash: string | null | undefined, password: string): Promise<boolean>;
}

export function createPasswordVerifier(): PasswordVerifier {
  // Computed once, lazily: a hash of a random password with the same cost parameters.
  let dummy: Promise<string> | null = null;
  const dummyHash = () => (dummy ??= hashPassword(randomBytes(24).toString('base64url')));
  return {
    async verify(storedHash, password) {
      if (!storedHash) {
        await verify(await dummyHash(), password).catch(() => false);
        return false;
      }
      try {
        return await verify(storedHash, password);
      } catch {
        // A malformed stored hash is a data problem, not the caller's: treat as mismatch.
        return false;
      }
    },
  };
}
