ALTER TABLE `group_members` ADD `starred_at` integer;--> statement-breakpoint
ALTER TABLE `group_members` ADD `unread_marked_at` integer;