// @canopy/shared: the contract between client and sync-server. Pure: no DOM, no node:*.
export * from './model/ids.js';
export * from './protocol/wire.js';
export * from './protocol/close-codes.js';
export * from './protocol/document.js';
export * from './protocol/message-actions.js';
export * from './protocol/mentions.js';
export * from './protocol/deleted-records.js';
export * from './api/errors.js';
export * from './api/users.js';
export * from './api/auth.js';
export * from './api/groups.js';
export * from './api/messages.js';
export * from './api/events.js';
export * from './api/admin.js';
export * from './api/image-policy.js';
export * from './api/blobs.js';
export * from './api/server-config.js';
