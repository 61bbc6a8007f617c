import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { DEFAULT_USER_QUOTA_BYTES, MAX_IMAGE_PIXELS } from '@canopy/shared';
import { ConfigError, loadConfig } from './config.js';

describe('loadConfig', () => {
  it('has working defaults', () => {
    const c = loadConfig({});
    expect(c.port).toBe(8080);
    expect(c.host).toBe('0.0.0.0');
    expect(c.dataDir).toBe(path.resolve('./data'));
    expect(c.publicOrigin).toBeNull();
    expect(c.relayValidation).toBe(true);
    expect(c.sessionTtlDays).toBe(30);
    expect(c.sessionMaxDays).toBe(90);
    expect(c.maxUploadBytes).toBe(25 * 1024 * 1024);
    expect(c.userQuotaBytes).toBe(DEFAULT_USER_QUOTA_BYTES);
    expect(c.maxImagePixels).toBe(MAX_IMAGE_PIXELS);
    expect(c.avatarImagePolicy).toBeNull();
    expect(c.clientDir.endsWith(path.join('client', 'dist'))).toBe(true);
    expect(c.mail).toEqual({ smtpUrl: null, from: 'Canopy <canopy@localhost>', delayMs: 600_000 });
  });

  it('parses values, and empty strings count as unset', () => {
    const c = loadConfig({
      PORT: '0',
      PUBLIC_ORIGIN: 'https://chat.example.com',
      ALLOWED_ORIGINS: 'https://a.example, http://localhost:5173',
      TRUST_PROXY: 'true',
      RELAY_VALIDATION: 'off',
      GEMINI_API_KEY: '',
      USER_QUOTA_BYTES: '1000',
      MAX_IMAGE_PIXELS: '4000000',
      AVATAR_IMAGE_POLICY: '{"Sexy": {"threshold": 0.4, "action": "block"}}',
    });
    expect(c.avatarImagePolicy).toEqual({ Sexy: { threshold: 0.4, action: 'block' } });
    expect(c.userQuotaBytes).toBe(1000);
    expect(c.maxImagePixels).toBe(4_000_000);
    expect(c.port).toBe(0);
    expect(c.publicOrigin).toBe('https://chat.example.com');
    expect(c.allowedOrigins).toEqual(['https://a.example', 'http://localhost:5173']);
    expect(c.trustProxy).toBe(true);
    expect(c.relayValidation).toBe(false);
    expect(c.gemini.apiKey).toBeNull();
  });

  it('reads the mail settings', () => {
    const c = loadConfig({
      PUBLIC_ORIGIN: 'https://chat.example.com',
      SMTP_URL: 'smtps://canopy:secret@mail.example.com:465',
      EMAIL_DELAY_SECONDS: '90',
    });
    expect(c.mail).toEqual({
      smtpUrl: 'smtps://canopy:secret@mail.example.com:465',
      from: 'Canopy <canopy@chat.example.com>',
      delayMs: 90_000,
    });
    expect(loadConfig({ MAIL_FROM: 'Team <team@example.com>' }).mail.from).toBe(
      'Team <team@example.com>',
    );
    expect(() => loadConfig({ SMTP_URL: 'https://mail.example.com' })).toThrow(/SMTP_URL/);
    expect(() => loadConfig({ EMAIL_DELAY_SECONDS: '-1' })).toThrow(/EMAIL_DELAY_SECONDS/);
  });

  it('names every bad variable', () => {
    let error: unknown;
    try {
      loadConfig({
        PORT: 'eighty',
        PUBLIC_ORIGIN: 'chat.example.com/path',
        RELAY_VALIDATION: 'maybe',
        AVATAR_IMAGE_POLICY: '{"Porn": {"threshold": 2, "action": "block"}}',
      });
    } catch (err) {
      error = err;
    }
    expect(error).toBeInstanceOf(ConfigError);
    const message = (error as Error).message;
    for (const name of ['PORT', 'PUBLIC_ORIGIN', 'RELAY_VALIDATION', 'AVATAR_IMAGE_POLICY'])
      expect(message).toContain(name);
  });

  it('refuses an avatar policy that is not JSON', () => {
    expect(() => loadConfig({ AVATAR_IMAGE_POLICY: 'block porn' })).toThrow(
      /AVATAR_IMAGE_POLICY: not JSON/,
    );
  });
});
