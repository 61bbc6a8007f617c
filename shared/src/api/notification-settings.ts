// GET/PUT /api/me/notifications: the signed-in user's notification settings kept by the
// server. `email`: email me about direct messages and mentions while I am away (only when
// the server can send email: /api/config `email.available`).
import { z } from 'zod';

export const notificationSettingsSchema = z.strictObject({ email: z.boolean() });
export type NotificationSettings = z.infer<typeof notificationSettingsSchema>;
