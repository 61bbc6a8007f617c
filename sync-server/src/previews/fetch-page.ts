// Fetches the start of a web page for its preview, and refuses to be turned against the
// server's own network: every address a host name resolves to is checked before the
// connection is made (the check sits in the socket's own DNS lookup, so a name cannot
// resolve to one address for the check and another for the connection), IP literals are
// checked up front, and every redirect (at most 3) is checked again. One deadline covers
// the whole fetch; only 200 HTML answers count, and at most `maxBytes` of the body are read
// (a page's head comes first).
import dns from 'node:dns';
import http from 'node:http';
import https from 'node:https';
import net from 'node:net';
import type { LookupFunction } from 'node:net';
import { mayFetchFrom } from './address-policy.js';
import type { AddressScope } from './address-policy.js';

export type FetchFailure =
  'blocked' | 'unreachable' | 'status' | 'not_html' | 'redirects' | 'timeout';

/** Why a page could not be read; the code goes to logs, never the address. */
export class FetchError extends Error {
  override name = 'FetchError';
  constructor(readonly code: FetchFailure) {
    super(`page not read: ${code}`);
  }
}

export interface FetchOptions {
  scope: AddressScope;
  timeoutMs: number;
  maxBytes: number;
  maxRedirects?: number;
}

export interface FetchedPage {
  contentType: string | undefined;
  body: Uint8Array;
}

const HTML = /^\s*(text\/html|application\/xhtml\+xml)\b/i;
const REDIRECTS = new Set([301, 302, 303, 307, 308]);
const HEADERS = {
  'user-agent': 'CanopyLinkPreview/1 (a chat server reading a page title for a link preview)',
  accept: 'text/html,application/xhtml+xml;q=0.9',
  'accept-encoding': 'identity',
};

/** The socket's DNS lookup, refusing names with any address outside `scope`. */
function checkedLookup(scope: AddressScope): LookupFunction {
  return (hostname, options, callback) => {
    dns.lookup(hostname, { ...options, all: true }, (err, addresses) => {
      if (err) return callback(err, '', 0);
      if (addresses.length === 0 || !addresses.every((a) => mayFetchFrom(a.address, scope))) {
        return callback(new FetchError('blocked'), '', 0);
      }
      if (options.all) return callback(null, addresses);
      const [first] = addresses as [dns.LookupAddress];
      return callback(null, first.address, first.family);
    });
  };
}

export async function fetchPage(start: URL, options: FetchOptions): Promise<FetchedPage> {
  const signal = AbortSignal.timeout(options.timeoutMs);
  const lookup = checkedLookup(options.scope);
  let url = start;
  for (let hop = 0; ; hop++) {
    const answer = await request(url, lookup, signal, options);
    if (answer.kind === 'page') return answer.page;
    if (hop >= (options.maxRedirects ?? 3)) throw new FetchError('redirects');
    url = answer.location;
  }
}

type Answer = { kind: 'page'; page: FetchedPage } | { kind: 'redirect'; location: URL };

function request(
  url: URL,
  lookup: LookupFunction,
  signal: AbortSignal,
  options: FetchOptions,
): Promise<Answer> {
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    return Promise.reject(new FetchError('blocked'));
  }
  if (url.username || url.password) return Promise.reject(new FetchError('blocked'));
  const host = url.hostname.replace(/^\[|\]$/g, '');
  if (net.isIP(host) && !mayFetchFrom(host, options.scope)) {
    return Promise.reject(new FetchError('blocked'));
  }
  const get = url.protocol === 'https:' ? https.get : http.get;
  return new Promise<Answer>((resolve, reject) => {
    const fail = (err: unknown): void => {
      if (err instanceof FetchError) reject(err);
      else reject(new FetchError(signal.aborted ? 'timeout' : 'unreachable'));
    };
    const req = get(url, { headers: HEADERS, lookup, signal, agent: false }, (res) => {
      const status = res.statusCode ?? 0;
      const location = res.headers.location;
      if (REDIRECTS.has(status) && location) {
        res.resume();
        try {
          resolve({ kind: 'redirect', location: new URL(location, url) });
        } catch {
          reject(new FetchError('status'));
        }
        return;
      }
      const contentType = res.headers['content-type'];
      if (status !== 200 || !HTML.test(contentType ?? '')) {
        res.resume();
        reject(new FetchError(status !== 200 ? 'status' : 'not_html'));
        return;
      }
      const chunks: Buffer[] = [];
      let size = 0;
      const finish = (): void =>
        resolve({ kind: 'page', page: { contentType, body: Buffer.concat(chunks) } });
      res.on('data', (chunk: Buffer) => {
        const room = options.maxBytes - size;
        chunks.push(room < chunk.length ? chunk.subarray(0, room) : chunk);
        size += Math.min(room, chunk.length);
        if (size >= options.maxBytes) {
          finish();
          res.destroy();
        }
      });
      res.on('end', finish);
      res.on('error', fail);
    });
    req.on('error', fail);
  });
}
