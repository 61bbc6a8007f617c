// The relay's view of accounts and groups (RelayAccess): the same Origin rules and
// session validation as the HTTP API, a single prepared statement for membership, and
// the audit log for the relay's refusals. Expected failures answer null / false.
import type { IncomingMessage } from 'node:http';
import type { TLSSocket } from 'node:tls';
import type { UserId } from '@canopy/shared';
import type { AuditLog } from '../audit.js';
import type { GroupStore } from '../db/group-store.js';
import type { Logger } from '../log.js';
import type { RelayAccess } from '../relay/relay-types.js';
import { firstHeaderValue } from './origin-policy.js';
import type { OriginPolicy } from './origin-policy.js';
import { readSessionCookie } from './session-cookie.js';
import type { SessionManager } from './sessions.js';

function header(req: IncomingMessage, name: string): string | null {
  const value = req.headers[name];
  return (Array.isArray(value) ? value[0] : value) ?? null;
}

/** scheme://host of an upgrade request as the server sees it. */
export function incomingOrigin(req: IncomingMessage, trustProxy: boolean): string {
  const forwarded = trustProxy ? firstHeaderValue(req.headers['x-forwarded-proto']) : null;
  const encrypted = (req.socket as Partial<TLSSocket>).encrypted === true;
  const scheme =
    forwarded === 'https' || forwarded === 'http' ? forwarded : encrypted ? 'https' : 'http';
  return `${scheme}://${header(req, 'host') ?? 'localhost'}`;
}

export function createRelayAccess(options: {
  origin: OriginPolicy;
  sessions: SessionManager;
  groups: GroupStore;
  audit: AuditLog;
  trustProxy: boolean;
  log: Logger;
}): RelayAccess {
  const { origin, sessions, groups, audit, log } = options;
  return {
    isOriginAllowed(req) {
      return origin.isAllowed({
        origin: header(req, 'origin'),
        requestOrigin: incomingOrigin(req, options.trustProxy),
        secFetchSite: header(req, 'sec-fetch-site'),
        hasSessionCookie: readSessionCookie(header(req, 'cookie')) !== null,
      });
    },
    async authenticate(req) {
      try {
        const valid = await sessions.validate(readSessionCookie(header(req, 'cookie')));
        return valid ? { userId: valid.user.id as UserId, sessionId: valid.session.id } : null;
      } catch (err) {
        // A database hiccup refuses this upgrade; it must not take the process down.
        log.error({ err }, 'session validation failed during upgrade');
        return null;
      }
    },
    membership(groupId, userId) {
      return groups.membership(groupId, userId);
    },
    audit(entry) {
      try {
        audit.write(entry);
      } catch (err) {
        log.error({ err, action: entry.action }, 'could not write audit entry');
      }
    },
  };
}
