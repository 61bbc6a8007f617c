// The server's stateful parts other than the relay, built once per server from the config
// and the database: stores, settings, sessions, auth rules, audit log, event hub, origin
// policy.
// Routes and the relay's access object share these instances.
import type { Config } from '../config.js';
import type { Logger } from '../log.js';
import type { AppDatabase } from '../db/open-database.js';
import { createAuditLog } from '../audit.js';
import type { AuditLog } from '../audit.js';
import { createUserStore } from '../db/user-store.js';
import type { UserStore } from '../db/user-store.js';
import { createInviteStore } from '../db/invite-store.js';
import type { InviteStore } from '../db/invite-store.js';
import { createSettingsStore } from '../db/settings-store.js';
import type { SettingsStore } from '../db/settings-store.js';
import { createGroupStore } from '../db/group-store.js';
import type { GroupStore } from '../db/group-store.js';
import { createMemberSettingsStore } from '../db/member-settings-store.js';
import type { MemberSettingsStore } from '../db/member-settings-store.js';
import { createSessionManager } from '../auth/sessions.js';
import type { SessionManager } from '../auth/sessions.js';
import { createAuthService } from '../auth/auth-service.js';
import type { AuthService } from '../auth/auth-service.js';
import { createOriginPolicy } from '../auth/origin-policy.js';
import type { OriginPolicy } from '../auth/origin-policy.js';
import { createEventHub } from '../events/event-hub.js';
import type { EventHub } from '../events/event-hub.js';
import { createPresence } from '../events/presence.js';
import type { Presence } from '../events/presence.js';
import { createBlobStore } from '../blobs/blob-store.js';
import type { BlobStore } from '../blobs/blob-store.js';
import { createPasswordResets } from '../auth/password-resets.js';
import type { PasswordResets } from '../auth/password-resets.js';
import { createPasswordResetStore } from '../db/password-reset-store.js';
import { createMailer } from '../mail/mailer.js';
import type { Mailer } from '../mail/mailer.js';
import { createLinkPreviews } from '../previews/link-previews.js';
import type { LinkPreviews } from '../previews/link-previews.js';
import { createResumableUploads } from './resumable-uploads.js';
import type { ResumableUploads } from './resumable-uploads.js';

export interface Services {
  config: Config;
  db: AppDatabase;
  users: UserStore;
  /** invite links for sign-up */
  invites: InviteStore;
  /** settings admins change at run time (who may sign up) */
  settings: SettingsStore;
  groups: GroupStore;
  /** a member's own mutes and flags of their conversations */
  memberSettings: MemberSettingsStore;
  sessions: SessionManager;
  auth: AuthService;
  audit: AuditLog;
  hub: EventHub;
  /** who is online, for DM partners (event streams) */
  presence: Presence;
  blobs: BlobStore;
  /** tus uploads of attachments (resumable) */
  uploads: ResumableUploads;
  origin: OriginPolicy;
  /** outgoing email; null without SMTP_URL */
  mailer: Mailer | null;
  /** "forgot your password?"; null unless the server sends email and knows PUBLIC_ORIGIN */
  passwordResets: PasswordResets | null;
  /** titles and descriptions of linked pages; null with LINK_PREVIEWS=off */
  linkPreviews: LinkPreviews | null;
  /** ms since the epoch when the server started */
  startedAt: number;
}

export function createServices(config: Config, db: AppDatabase, log: Logger): Services {
  const users = createUserStore(db);
  const invites = createInviteStore(db);
  const settings = createSettingsStore(db);
  const sessions = createSessionManager({
    db,
    ttlDays: config.sessionTtlDays,
    maxDays: config.sessionMaxDays,
  });
  const audit = createAuditLog(db);
  const groups = createGroupStore(db);
  const blobs = createBlobStore({
    db,
    dataDir: config.dataDir,
    quotaBytes: config.userQuotaBytes,
    maxImagePixels: config.maxImagePixels,
  });
  const hub = createEventHub();
  const mailer = createMailer(config.mail);
  const passwordResets =
    mailer && config.publicOrigin
      ? createPasswordResets({
          store: createPasswordResetStore(db),
          users,
          sessions,
          audit,
          mailer,
          publicOrigin: config.publicOrigin,
          rateLimit: config.authRateLimit,
          log: log.child({ mod: 'password-reset' }),
        })
      : null;
  return {
    config,
    db,
    users,
    invites,
    settings,
    groups,
    memberSettings: createMemberSettingsStore(db),
    sessions,
    auth: createAuthService({
      users,
      invites,
      settings,
      sessions,
      audit,
      rateLimit: config.authRateLimit,
    }),
    audit,
    hub,
    presence: createPresence(hub, (id) => groups.dmPartnersOf(id), config.presenceGraceMs),
    blobs,
    uploads: createResumableUploads({
      dataDir: config.dataDir,
      maxBytes: config.maxUploadBytes,
      quotaBytes: config.userQuotaBytes,
      blobs,
      groups,
      log: log.child({ mod: 'uploads' }),
    }),
    origin: createOriginPolicy(config),
    mailer,
    passwordResets,
    linkPreviews:
      config.linkPreviews === 'off'
        ? null
        : createLinkPreviews({ scope: config.linkPreviews, log: log.child({ mod: 'previews' }) }),
    startedAt: Date.now(),
  };
}
