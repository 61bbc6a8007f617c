// Groups and direct messages. A DM is a two-member group of kind "dm", one per pair.
import { z } from 'zod';
import { groupIdSchema, userIdSchema } from '../model/ids.js';
import { imagePolicySchema } from './image-policy.js';

export const GroupRole = { owner: 'owner', admin: 'admin', member: 'member' } as const;
export type GroupRole = (typeof GroupRole)[keyof typeof GroupRole];
export const groupRoleSchema = z.enum(['owner', 'admin', 'member']);

/** Owners and admins moderate: they may tombstone any message and manage members. */
export function isModerator(role: GroupRole): boolean {
  return role === 'owner' || role === 'admin';
}

/**
 * May a member with `role` delete other members' messages in a conversation of `kind`?
 * Group owners and admins; in a DM nobody deletes the other person's messages.
 */
export function moderatesMessages(kind: 'group' | 'dm', role: GroupRole): boolean {
  return kind === 'group' && isModerator(role);
}

export const MAX_GROUP_MEMBERS = 1000;
export const groupNameSchema = z.string().trim().min(1).max(100);

/** Characters of a group's topic. */
export const MAX_GROUP_TOPIC = 250;

export const memberSchema = z.object({
  userId: userIdSchema,
  role: groupRoleSchema,
  joinedAt: z.number().int(),
});
export type Member = z.infer<typeof memberSchema>;

export const groupSchema = z.object({
  id: groupIdSchema,
  kind: z.enum(['group', 'dm']),
  name: z.string(),
  /** what the group is about, shown under its name ('' for none; DMs have none) */
  topic: z.string().default(''),
  createdAt: z.number().int(),
  createdBy: userIdSchema,
  members: z.array(memberSchema),
  /** whether the AI assistant may be called in this group */
  botEnabled: z.boolean(),
  /** image policy set by owners/admins; null = the classifier's default policy */
  imagePolicy: imagePolicySchema.nullable().default(null),
});
export type Group = z.infer<typeof groupSchema>;

export const groupResponseSchema = z.object({ group: groupSchema });
export const groupListResponseSchema = z.object({ groups: z.array(groupSchema) });
export type GroupResponse = z.infer<typeof groupResponseSchema>;
export type GroupListResponse = z.infer<typeof groupListResponseSchema>;

export const createGroupRequestSchema = z.strictObject({
  /** optional: a client that creates a group offline picks the id, so retries are idempotent */
  id: groupIdSchema.optional(),
  name: groupNameSchema,
  members: z.array(userIdSchema).max(MAX_GROUP_MEMBERS),
});
export type CreateGroupRequest = z.input<typeof createGroupRequestSchema>;

export const updateGroupRequestSchema = z.strictObject({
  name: groupNameSchema.optional(),
  /** owners/admins; '' removes it */
  topic: z.string().trim().max(MAX_GROUP_TOPIC).optional(),
  botEnabled: z.boolean().optional(),
  /** owners/admins only; null restores the default policy */
  imagePolicy: imagePolicySchema.nullable().optional(),
});
export type UpdateGroupRequest = z.input<typeof updateGroupRequestSchema>;

export const addMemberRequestSchema = z.strictObject({
  userId: userIdSchema,
  role: z.enum(['admin', 'member']).optional(),
});
export type AddMemberRequest = z.input<typeof addMemberRequestSchema>;

export const updateMemberRequestSchema = z.strictObject({ role: groupRoleSchema });
export type UpdateMemberRequest = z.input<typeof updateMemberRequestSchema>;

export const createDmRequestSchema = z.strictObject({ userId: userIdSchema });
export type CreateDmRequest = z.input<typeof createDmRequestSchema>;
