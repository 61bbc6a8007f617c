// Cross-site request refusal, shared by state-changing HTTP requests and the WebSocket
// upgrade. The SameSite=Lax cookie already keeps cross-site POSTs and sockets
// unauthenticated in current browsers; this check is the second wall (sibling subdomains
// are "same-site" and old browsers ignore SameSite).
//
// Rules:
// - An Origin header must equal the server's own origin (PUBLIC_ORIGIN, else the request's
//   own scheme://host) or be listed in ALLOWED_ORIGINS. "null" never matches.
// - No Origin and no session cookie: allowed. Scripts and curl carry no ambient
//   credentials, so there is nothing to forge.
// - No Origin but a session cookie: browsers that send Sec-Fetch-Site also send Origin on
//   POST and on WebSocket upgrades, so an Origin-less request with Sec-Fetch-Site is
//   judged by it ('same-origin'/'none' pass). Without either header it comes from a
//   non-browser client holding the cookie itself (tests, integrations), which is allowed.
export interface OriginFacts {
  origin: string | null;
  /** scheme://host of the request as the server sees it (after trusted proxy headers) */
  requestOrigin: string;
  secFetchSite: string | null;
  hasSessionCookie: boolean;
}

export interface OriginPolicy {
  isAllowed(facts: OriginFacts): boolean;
  /** whether cookies must carry Secure for a request with this origin */
  isSecure(requestOrigin: string): boolean;
}

export function createOriginPolicy(options: {
  publicOrigin: string | null;
  allowedOrigins: readonly string[];
}): OriginPolicy {
  const allowed = new Set(options.allowedOrigins);
  const publicIsHttps = options.publicOrigin?.startsWith('https:') ?? false;
  return {
    isAllowed({ origin, requestOrigin, secFetchSite, hasSessionCookie }) {
      if (origin !== null) {
        if (origin === 'null') return false;
        const own = options.publicOrigin ?? requestOrigin;
        return origin === own || allowed.has(origin);
      }
      if (!hasSessionCookie) return true;
      if (secFetchSite !== null) return secFetchSite === 'same-origin' || secFetchSite === 'none';
      return true;
    },
    isSecure(requestOrigin) {
      return publicIsHttps || requestOrigin.startsWith('https:');
    },
  };
}

/** First value of a possibly comma-joined forwarded header. */
export function firstHeaderValue(value: string | string[] | null | undefined): string | null {
  const raw = Array.isArray(value) ? value[0] : value;
  const first = raw?.split(',')[0]?.trim();
  return first ? first : null;
}

/**
 * The client address for rate limiting. Behind a trusted proxy it is the last
 * X-Forwarded-For entry (the one the proxy itself appended; earlier ones are the
 * client's word), else the socket's peer address.
 */
export function clientAddress(
  forwardedFor: string | null | undefined,
  socketAddress: string | null | undefined,
  trustProxy: boolean,
): string {
  if (trustProxy && forwardedFor) {
    const last = forwardedFor.split(',').pop()?.trim();
    if (last) return last;
  }
  return socketAddress ?? 'unknown';
}
