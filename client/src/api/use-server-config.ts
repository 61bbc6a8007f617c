import { createResource } from 'solid-js';
import type { Resource } from 'solid-js';
import type { ServerConfigResponse } from '@canopy/shared';
import { fetchServerConfig } from './blob-api.js';

/**
 * The operator's public settings for a screen; null when they cannot be had (offline), so
 * the screen shows what does not depend on them and lets the server decide.
 */
export function useServerConfig(): Resource<ServerConfigResponse | null> {
  const [config] = createResource(() => fetchServerConfig().catch(() => null));
  return config;
}
