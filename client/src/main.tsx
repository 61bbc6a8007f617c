// Entry point: builds the app's storage and session, then mounts the UI.
import { render } from 'solid-js/web';
import { CanopyApp } from './app.js';
import { createSession } from './state/session.js';
import { makeIdbKv, makeMemoryKv } from './sync/idb-kv.js';
import { makeLocalCache } from './sync/local-cache.js';
import { installFastAsciiDecoding } from './sync/fast-ascii-decoding.js';
import { log } from './log.js';
import './styles.css';

installFastAsciiDecoding();
const kv = typeof indexedDB === 'undefined' ? makeMemoryKv() : makeIdbKv();
const cache = makeLocalCache(kv);
const root = document.getElementById('root');
if (!root) throw new Error('missing #root');
render(() => <CanopyApp app={{ session: createSession(cache), kv, cache }} />, root);
log.info('started', { mode: import.meta.env.MODE });
