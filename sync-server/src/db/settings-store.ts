// Settings an admin changes while the server runs (table settings, JSON values). A value
// missing or unreadable reads as its default.
import { eq } from 'drizzle-orm';
import { signupPolicySchema } from '@canopy/shared';
import type { SignupPolicy } from '@canopy/shared';
import type { AppDatabase } from './open-database.js';
import { settings } from './schema.js';

const SIGNUP_POLICY = 'signup_policy';

export function createSettingsStore(db: AppDatabase) {
  const read = (key: string): unknown => {
    const row = db.select().from(settings).where(eq(settings.key, key)).get();
    if (!row) return undefined;
    try {
      return JSON.parse(row.value) as unknown;
    } catch {
      return undefined;
    }
  };
  const write = (key: string, value: unknown): void => {
    const json = JSON.stringify(value);
    db.insert(settings)
      .values({ key, value: json })
      .onConflictDoUpdate({ target: settings.key, set: { value: json } })
      .run();
  };
  return {
    signupPolicy(): SignupPolicy {
      const parsed = signupPolicySchema.safeParse(read(SIGNUP_POLICY));
      return parsed.success ? parsed.data : 'open';
    },
    setSignupPolicy(policy: SignupPolicy): void {
      write(SIGNUP_POLICY, policy);
    },
  };
}

export type SettingsStore = ReturnType<typeof createSettingsStore>;
