// Secrets handed out in cookies and links (sessions, invites, password resets): 32 random
// bytes, base64url. The database keeps only their SHA-256, so a leaked database cannot be
// turned back into working cookies or links.
import { createHash, randomBytes } from 'node:crypto';

export function newSecret(): string {
  return randomBytes(32).toString('base64url');
}

/** SHA-256 of a secret, hex: what the database stores and looks it up by. */
export function hashSecret(secret: string): string {
  return createHash('sha256').update(secret).digest('hex');
}
