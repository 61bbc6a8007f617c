// Entry point: builds the app's storage and session, then mounts the UI.
import { render } from 'solid-js/web';
import { CanopyApp } from './app.js';
import { createSession } from './state/session.js';
import { makeDeviceData } from './sync/device-data.js';
import { makeIdbKv, makeMemoryKv } from './sync/idb-kv.js';
import type { KvStore } from './sync/idb-kv.js';
import { makeLocalCache } from './sync/local-cache.js';
import { UPLOADS_DB } from './sync/upload-queue.js';
import { installFastAsciiDecoding } from './sync/fast-ascii-decoding.js';
import { log } from './log.js';
import './styles.css';

installFastAsciiDecoding();
const store = (name?: string): KvStore =>
  typeof indexedDB === 'undefined' ? makeMemoryKv() : makeIdbKv(name);
const device = makeDeviceData([store(), store(UPLOADS_DB)]);
const [kv, uploads] = device.stores as [KvStore, KvStore];
const cache = makeLocalCache(kv);
const root = document.getElementById('root');
if (!root) throw new Error('missing #root');
render(
  () => <CanopyApp app={{ session: createSession(cache, device), kv, uploads, cache }} />,
  root,
);
log.info('started', { mode: import.meta.env.MODE });
