// Drizzle schema: the whole SQLite database. Migrations are generated from this file
// (`npm run db:generate -w @canopy/sync-server`) and committed under src/db/migrations.
// Times are integer milliseconds since the epoch.

import {
  blob,
  index,
  integer,
  primaryKey,
  sqliteTable,
  text,
  uniqueIndex,
} from 'drizzle-orm/sqlite-core';

export const users = sqliteTable('users', {
  id: text('id').primaryKey(),
  /** lower-case; unique */
  username: text('username').notNull().unique(),
  /** lower-case; unique */
  email: text('email').notNull().unique(),
  displayName: text('display_name').notNull(),
  /** argon2id PHC string; null for the bot account, which cannot log in */
  passwordHash: text('password_hash'),
  role: text('role', { enum: ['user', 'admin'] })
    .notNull()
    .default('user'),
  banned: integer('banned', { mode: 'boolean' }).notNull().default(false),
  isBot: integer('is_bot', { mode: 'boolean' }).notNull().default(false),
  /** sha256 of the avatar blob */
  avatar: text('avatar'),
  createdAt: integer('created_at').notNull(),
  passwordChangedAt: integer('password_changed_at'),
  /** email about mentions and direct messages while away (when the server can send mail) */
  emailNotifications: integer('email_notifications', { mode: 'boolean' }).notNull().default(true),
  /** when the person deleted their account (the row stays for their messages' author) */
  deletedAt: integer('deleted_at'),
});

export const sessions = sqliteTable(
  'sessions',
  {
    /** SHA-256 (hex) of the secret in the cookie; the secret itself is never stored */
    id: text('id').primaryKey(),
    userId: text('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    /** sliding expiry */
    expiresAt: integer('expires_at').notNull(),
    /** absolute lifetime: the session ends then whatever its activity */
    absoluteExpiresAt: integer('absolute_expires_at').notNull(),
    createdAt: integer('created_at').notNull(),
    /** what signed in, e.g. "Firefox on Linux" (from the User-Agent); null when unknown */
    device: text('device'),
  },
  (t) => [index('sessions_user_idx').on(t.userId)],
);

export const groups = sqliteTable(
  'groups',
  {
    id: text('id').primaryKey(),
    kind: text('kind', { enum: ['group', 'dm'] }).notNull(),
    name: text('name').notNull(),
    /** what the group is about, shown under its name; '' for none */
    topic: text('topic').notNull().default(''),
    createdBy: text('created_by')
      .notNull()
      .references(() => users.id),
    createdAt: integer('created_at').notNull(),
    botEnabled: integer('bot_enabled', { mode: 'boolean' }).notNull().default(false),
    /** for DMs: the two user ids sorted and joined by ':' so a pair has one DM */
    dmKey: text('dm_key'),
    /** image policy (JSON), null = defaults */
    imagePolicy: text('image_policy'),
  },
  (t) => [uniqueIndex('groups_dm_key_idx').on(t.dmKey)],
);

export const groupMembers = sqliteTable(
  'group_members',
  {
    groupId: text('group_id')
      .notNull()
      .references(() => groups.id, { onDelete: 'cascade' }),
    userId: text('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    role: text('role', { enum: ['owner', 'admin', 'member'] }).notNull(),
    joinedAt: integer('joined_at').notNull(),
    /** the member muted the conversation until then (ms); null = not muted; see MUTED_FOREVER */
    mutedUntil: integer('muted_until'),
    /** the member starred the conversation then (ms); null = not starred */
    starredAt: integer('starred_at'),
    /** the member marked the conversation unread then (ms); null = not marked */
    unreadMarkedAt: integer('unread_marked_at'),
  },
  (t) => [
    primaryKey({ columns: [t.groupId, t.userId] }),
    index('group_members_user_idx').on(t.userId),
  ],
);

/** Append-only log of Yjs updates per group; compaction folds it into doc_snapshots. */
export const docUpdates = sqliteTable(
  'doc_updates',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    groupId: text('group_id').notNull(),
    data: blob('data', { mode: 'buffer' }).notNull(),
    createdAt: integer('created_at').notNull(),
  },
  (t) => [index('doc_updates_group_idx').on(t.groupId, t.id)],
);

export const docSnapshots = sqliteTable('doc_snapshots', {
  groupId: text('group_id').primaryKey(),
  /** Y.encodeStateAsUpdate of the compacted document */
  data: blob('data', { mode: 'buffer' }).notNull(),
  /** highest doc_updates.id folded into this snapshot */
  lastUpdateId: integer('last_update_id').notNull(),
  updatedAt: integer('updated_at').notNull(),
});

/** Each Yjs client id in a group belongs to the user who first wrote with it. */
export const clientBindings = sqliteTable(
  'client_bindings',
  {
    groupId: text('group_id').notNull(),
    clientId: integer('client_id').notNull(),
    userId: text('user_id').notNull(),
    createdAt: integer('created_at').notNull(),
  },
  (t) => [primaryKey({ columns: [t.groupId, t.clientId] })],
);

export const auditLog = sqliteTable(
  'audit_log',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    at: integer('at').notNull(),
    actorId: text('actor_id'),
    action: text('action').notNull(),
    targetId: text('target_id'),
    groupId: text('group_id'),
    /** JSON; never message text, passwords or tokens */
    details: text('details'),
  },
  (t) => [index('audit_log_at_idx').on(t.at)],
);

/** Content-addressed blobs (images, files, avatars) stored under DATA_DIR/blobs. */
export const blobs = sqliteTable('blobs', {
  sha256: text('sha256').primaryKey(),
  mime: text('mime').notNull(),
  size: integer('size').notNull(),
  width: integer('width'),
  height: integer('height'),
  createdBy: text('created_by').notNull(),
  createdAt: integer('created_at').notNull(),
});

/** Which groups (or avatars) reference a blob; reads are allowed to their members. */
export const blobRefs = sqliteTable(
  'blob_refs',
  {
    sha256: text('sha256').notNull(),
    /** group id, or 'avatar' for profile pictures (readable by any signed-in user) */
    scope: text('scope').notNull(),
    userId: text('user_id').notNull(),
    createdAt: integer('created_at').notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.sha256, t.scope, t.userId] }),
    index('blob_refs_scope_idx').on(t.scope),
    index('blob_refs_user_idx').on(t.userId),
  ],
);

/** Server settings an admin changes at run time, one row per key (values are JSON). */
export const settings = sqliteTable('settings', {
  key: text('key').primaryKey(),
  value: text('value').notNull(),
});

/** Invite links for sign-up while the server takes new accounts by invite only. */
export const invites = sqliteTable(
  'invites',
  {
    id: text('id').primaryKey(),
    /** SHA-256 (hex) of the code in the link; the code itself is never stored */
    codeHash: text('code_hash').notNull().unique(),
    createdBy: text('created_by').references(() => users.id, { onDelete: 'set null' }),
    createdAt: integer('created_at').notNull(),
    expiresAt: integer('expires_at').notNull(),
    maxUses: integer('max_uses').notNull(),
    uses: integer('uses').notNull().default(0),
    revokedAt: integer('revoked_at'),
  },
  (t) => [index('invites_created_idx').on(t.createdAt)],
);

/** Password reset links sent by email; each works once, for an hour. */
export const passwordResets = sqliteTable(
  'password_resets',
  {
    /** SHA-256 (hex) of the code in the link; the code itself is never stored */
    codeHash: text('code_hash').primaryKey(),
    userId: text('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    createdAt: integer('created_at').notNull(),
    expiresAt: integer('expires_at').notNull(),
  },
  (t) => [index('password_resets_user_idx').on(t.userId)],
);
