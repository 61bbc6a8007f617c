// The session cookie on the wire: reading it from a Cookie header without ever throwing
// (a malformed header is just "no session"), and writing it with the right flags.
// HttpOnly (no script access), SameSite=Lax (no cross-site POSTs carry it), Path=/,
// Secure whenever the request came over HTTPS or the public origin is https.
import { Cookie } from 'lucia';
import { SESSION_COOKIE_NAME } from '@canopy/shared';

export function readSessionCookie(header: string | null | undefined): string | null {
  if (!header) return null;
  for (const part of header.split(';')) {
    const eq = part.indexOf('=');
    if (eq < 0) continue;
    if (part.slice(0, eq).trim() !== SESSION_COOKIE_NAME) continue;
    // Our value is base64url: no decoding needed, and anything else fails validation.
    return part.slice(eq + 1).trim();
  }
  return null;
}

export function sessionCookie(
  secret: string,
  options: { secure: boolean; expiresAt: number; now?: number },
): string {
  const maxAge = Math.max(0, Math.floor((options.expiresAt - (options.now ?? Date.now())) / 1000));
  return new Cookie(SESSION_COOKIE_NAME, secret, {
    httpOnly: true,
    sameSite: 'lax',
    path: '/',
    secure: options.secure,
    maxAge,
  }).serialize();
}

export function blankSessionCookie(options: { secure: boolean }): string {
  return new Cookie(SESSION_COOKIE_NAME, '', {
    httpOnly: true,
    sameSite: 'lax',
    path: '/',
    secure: options.secure,
    maxAge: 0,
  }).serialize();
}
