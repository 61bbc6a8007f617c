// Server configuration: the environment is parsed once at start-up into a typed Config.
// Nothing else reads process.env; tests build a Config in code (or call loadConfig with
// a plain object). A bad variable fails start-up with a message naming every bad one.
import { fileURLToPath } from 'node:url';
import path from 'node:path';
import { z } from 'zod';
import { DEFAULT_USER_QUOTA_BYTES, MAX_IMAGE_PIXELS, imagePolicySchema } from '@canopy/shared';
import type { ImagePolicy } from '@canopy/shared';

const MB = 1024 * 1024;

const bool = z
  .enum(['1', '0', 'true', 'false', 'yes', 'no', 'on', 'off'])
  .transform((v) => v === '1' || v === 'true' || v === 'yes' || v === 'on');

const origin = z
  .string()
  .trim()
  .transform((value, ctx) => {
    try {
      const url = new URL(value);
      if (
        (url.protocol !== 'http:' && url.protocol !== 'https:') ||
        url.origin !== value.replace(/\/$/, '')
      ) {
        throw new Error('not an origin');
      }
      return url.origin;
    } catch {
      ctx.addIssue({ code: 'custom', message: `not an origin (scheme://host[:port]): ${value}` });
      return z.NEVER;
    }
  });

/** JSON of an image policy ({"Porn": {"threshold": 0.6, "action": "block"}, …}) */
const imagePolicyJson = z
  .string()
  .transform((value, ctx) => {
    try {
      return JSON.parse(value) as unknown;
    } catch {
      ctx.addIssue({ code: 'custom', message: 'not JSON' });
      return z.NEVER;
    }
  })
  .pipe(imagePolicySchema);

const int = (min: number, max = Number.MAX_SAFE_INTEGER) =>
  z.coerce.number().int().min(min).max(max);

/** The built client, relative to this module (works from src/ and from dist/). */
const DEFAULT_CLIENT_DIR = fileURLToPath(new URL('../../client/dist', import.meta.url));

const envSchema = z.object({
  PORT: int(0, 65535).default(8080),
  HOST: z.string().trim().min(1).default('0.0.0.0'),
  DATA_DIR: z.string().trim().min(1).default('./data'),
  PUBLIC_ORIGIN: origin.optional(),
  ALLOWED_ORIGINS: z
    .string()
    .optional()
    .transform((v) =>
      (v ?? '')
        .split(',')
        .map((s) => s.trim())
        .filter(Boolean),
    )
    .pipe(z.array(origin)),
  TRUST_PROXY: bool.default(false),
  SESSION_TTL_DAYS: z.coerce.number().positive().max(3650).default(30),
  SESSION_MAX_DAYS: z.coerce.number().positive().max(3650).default(90),
  /** login + signup attempts per IP per window; 0 switches the limit off */
  AUTH_RATE_LIMIT_IP: int(0).default(30),
  /** failed logins per account per window; 0 switches the limit off */
  AUTH_RATE_LIMIT_ACCOUNT: int(0).default(10),
  AUTH_RATE_WINDOW_SECONDS: int(1).default(900),
  MAX_UPLOAD_BYTES: int(1).default(25 * MB),
  /** storage per user: the sizes of the distinct blobs they uploaded */
  USER_QUOTA_BYTES: int(1).default(DEFAULT_USER_QUOTA_BYTES),
  /** width x height above which an image upload is refused (decompression bombs) */
  MAX_IMAGE_PIXELS: int(1).default(MAX_IMAGE_PIXELS),
  /** the classifier policy for profile pictures; unset: the classifier's default */
  AVATAR_IMAGE_POLICY: imagePolicyJson.optional(),
  RELAY_VALIDATION: z.enum(['on', 'off']).default('on'),
  GEMINI_API_KEY: z.string().trim().min(1).optional(),
  GEMINI_MODEL: z.string().trim().min(1).default('gemini-2.0-flash'),
  GEMINI_BASE_URL: z.url().optional(),
  /** smtp://user:pass@host:587 or smtps://…:465; unset: no email is sent */
  SMTP_URL: z.url({ protocol: /^smtps?$/, error: 'must be an smtp:// or smtps:// URL' }).optional(),
  MAIL_FROM: z.string().trim().min(3).max(200).optional(),
  /** how long someone must stay away before mentions and direct messages are emailed */
  EMAIL_DELAY_SECONDS: z.coerce.number().min(0).max(86_400).default(600),
  /**
   * link previews: `public` fetches pages on public addresses only, `all` also inside the
   * server's own network (an intranet's wiki), `off` fetches nothing
   */
  LINK_PREVIEWS: z.enum(['public', 'all', 'off']).default('public'),
  CLIENT_DIR: z.string().trim().min(1).default(DEFAULT_CLIENT_DIR),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
});

export interface Config {
  port: number;
  host: string;
  /** absolute path */
  dataDir: string;
  /** e.g. https://chat.example.com; null: the request's own Host + protocol */
  publicOrigin: string | null;
  allowedOrigins: string[];
  /** believe X-Forwarded-For / X-Forwarded-Proto (only behind a reverse proxy) */
  trustProxy: boolean;
  sessionTtlDays: number;
  sessionMaxDays: number;
  authRateLimit: { perIp: number; perAccount: number; windowMs: number };
  maxUploadBytes: number;
  userQuotaBytes: number;
  maxImagePixels: number;
  /** checked on the device before a profile picture is uploaded; null: the default */
  avatarImagePolicy: ImagePolicy | null;
  relayValidation: boolean;
  gemini: { apiKey: string | null; model: string; baseUrl: string | null };
  /** email about mentions and direct messages for people who are away; off without smtpUrl */
  mail: { smtpUrl: string | null; from: string; delayMs: number };
  /** which pages the server may read for link previews (see LINK_PREVIEWS) */
  linkPreviews: 'public' | 'all' | 'off';
  /** absolute path of the built client; served when it exists */
  clientDir: string;
  logLevel: string;
  /**
   * ms a user stays "online" to their DM partners after their last event stream closed, so
   * a reload does not flap (not an environment variable; tests shorten it)
   */
  presenceGraceMs: number;
}

export class ConfigError extends Error {
  override name = 'ConfigError';
}

/** Parse the environment (process.env or a plain object). Throws ConfigError listing every bad variable. */
export function loadConfig(env: Record<string, string | undefined>): Config {
  // Empty strings mean "unset", as in most shells' `FOO= cmd`.
  const cleaned = Object.fromEntries(
    Object.entries(env).filter(([key, v]) => key in envSchema.shape && v !== undefined && v !== ''),
  );
  const parsed = envSchema.safeParse(cleaned);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `  ${i.path.join('.') || '(env)'}: ${i.message}`);
    throw new ConfigError(`invalid configuration:\n${lines.join('\n')}`);
  }
  const e = parsed.data;
  if (e.SESSION_MAX_DAYS < e.SESSION_TTL_DAYS) {
    throw new ConfigError(
      'invalid configuration:\n  SESSION_MAX_DAYS: must be at least SESSION_TTL_DAYS',
    );
  }
  return {
    port: e.PORT,
    host: e.HOST,
    dataDir: path.resolve(e.DATA_DIR),
    publicOrigin: e.PUBLIC_ORIGIN ?? null,
    allowedOrigins: e.ALLOWED_ORIGINS,
    trustProxy: e.TRUST_PROXY,
    sessionTtlDays: e.SESSION_TTL_DAYS,
    sessionMaxDays: e.SESSION_MAX_DAYS,
    authRateLimit: {
      perIp: e.AUTH_RATE_LIMIT_IP,
      perAccount: e.AUTH_RATE_LIMIT_ACCOUNT,
      windowMs: e.AUTH_RATE_WINDOW_SECONDS * 1000,
    },
    maxUploadBytes: e.MAX_UPLOAD_BYTES,
    userQuotaBytes: e.USER_QUOTA_BYTES,
    maxImagePixels: e.MAX_IMAGE_PIXELS,
    avatarImagePolicy: e.AVATAR_IMAGE_POLICY ?? null,
    relayValidation: e.RELAY_VALIDATION === 'on',
    gemini: {
      apiKey: e.GEMINI_API_KEY ?? null,
      model: e.GEMINI_MODEL,
      baseUrl: e.GEMINI_BASE_URL ?? null,
    },
    mail: {
      smtpUrl: e.SMTP_URL ?? null,
      from:
        e.MAIL_FROM ??
        `Canopy <canopy@${e.PUBLIC_ORIGIN ? new URL(e.PUBLIC_ORIGIN).hostname : 'localhost'}>`,
      delayMs: e.EMAIL_DELAY_SECONDS * 1000,
    },
    linkPreviews: e.LINK_PREVIEWS,
    clientDir: path.resolve(e.CLIENT_DIR),
    logLevel: e.LOG_LEVEL,
    presenceGraceMs: 5000,
  };
}
