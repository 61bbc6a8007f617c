// Cross-cutting middleware: security headers, the Origin check for state-changing
// requests, the session loader (with sliding-expiry cookie refresh) and the error funnel.
import type { ErrorHandler, MiddlewareHandler, NotFoundHandler } from 'hono';
import { HTTPException } from 'hono/http-exception';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import { secureHeaders } from 'hono/secure-headers';
import { ErrorCode } from '@canopy/shared';
import type { Logger } from '../log.js';
import type { SessionInfo } from '../auth/sessions.js';
import { blankSessionCookie, readSessionCookie, sessionCookie } from '../auth/session-cookie.js';
import { RelayError } from '../relay/relay-errors.js';
import { ApiError } from './api-error.js';
import type { AppContext, AppEnv } from './context.js';
import { requestOrigin } from './context.js';
import type { Services } from './services.js';

const STATE_CHANGING = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

/**
 * Headers for every response. The CSP fits the built client: own scripts plus WebAssembly
 * (the image classifier), workers from blob: URLs, images from blob:/data: (previews,
 * placeholders), inline style attributes (Solid sets them), sockets to the same origin.
 */
export function securityHeaders(): MiddlewareHandler<AppEnv> {
  return secureHeaders({
    contentSecurityPolicy: {
      defaultSrc: ["'self'"],
      scriptSrc: ["'self'", "'wasm-unsafe-eval'"],
      workerSrc: ["'self'", 'blob:'],
      styleSrc: ["'self'", "'unsafe-inline'"],
      imgSrc: ["'self'", 'blob:', 'data:'],
      connectSrc: ["'self'"],
      fontSrc: ["'self'"],
      manifestSrc: ["'self'"],
      objectSrc: ["'none'"],
      baseUri: ["'self'"],
      formAction: ["'self'"],
      frameAncestors: ["'none'"],
    },
    crossOriginOpenerPolicy: 'same-origin',
    crossOriginResourcePolicy: 'same-origin',
    referrerPolicy: 'strict-origin-when-cross-origin',
    xFrameOptions: 'DENY',
    permissionsPolicy: { camera: [], microphone: [], geolocation: [] },
  });
}

export function originCheck(services: Services): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    if (STATE_CHANGING.has(c.req.method)) {
      const allowed = services.origin.isAllowed({
        origin: c.req.header('origin') ?? null,
        requestOrigin: requestOrigin(c, services.config.trustProxy),
        secFetchSite: c.req.header('sec-fetch-site') ?? null,
        hasSessionCookie: readSessionCookie(c.req.header('cookie')) !== null,
      });
      if (!allowed) throw new ApiError(403, ErrorCode.BAD_ORIGIN, 'cross-origin request refused');
    }
    await next();
  };
}

export function isSecureRequest(c: AppContext, services: Services): boolean {
  return services.origin.isSecure(requestOrigin(c, services.config.trustProxy));
}

export function setSessionCookie(
  c: AppContext,
  services: Services,
  secret: string,
  session: SessionInfo,
): void {
  c.header(
    'Set-Cookie',
    sessionCookie(secret, { secure: isSecureRequest(c, services), expiresAt: session.expiresAt }),
    {
      append: true,
    },
  );
}

export function clearSessionCookie(c: AppContext, services: Services): void {
  c.header('Set-Cookie', blankSessionCookie({ secure: isSecureRequest(c, services) }), {
    append: true,
  });
}

/** Loads the caller's session into c.var.auth (null when absent or invalid). */
export function sessionLoader(services: Services): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    const secret = readSessionCookie(c.req.header('cookie'));
    const auth = secret === null ? null : await services.sessions.validate(secret);
    c.set('auth', auth);
    if (secret !== null && auth === null) clearSessionCookie(c, services);
    if (secret !== null && auth?.session.fresh) setSessionCookie(c, services, secret, auth.session);
    await next();
  };
}

function errorBody(code: string, message: string, details?: unknown) {
  return { error: details === undefined ? { code, message } : { code, message, details } };
}

const STATUS_CODES: Partial<Record<number, ErrorCode>> = {
  400: ErrorCode.BAD_REQUEST,
  401: ErrorCode.UNAUTHENTICATED,
  403: ErrorCode.FORBIDDEN,
  404: ErrorCode.NOT_FOUND,
  409: ErrorCode.CONFLICT,
  413: ErrorCode.PAYLOAD_TOO_LARGE,
  415: ErrorCode.UNSUPPORTED_MEDIA_TYPE,
  429: ErrorCode.RATE_LIMITED,
};

/** The one error funnel: known errors become coded JSON, the rest a logged generic 500. */
export function errorHandler(log: Logger): ErrorHandler<AppEnv> {
  return (err, c) => {
    if (err instanceof ApiError) {
      for (const [name, value] of Object.entries(err.headers ?? {})) c.header(name, value);
      return c.json(errorBody(err.code, err.message, err.details), err.status);
    }
    if (err instanceof RelayError) {
      // The relay's typed failures (group not found, document full, room unavailable)
      // already carry their code and status.
      if (err.status >= 500) {
        log.warn({ err, requestId: c.get('requestId'), path: c.req.path }, 'relay unavailable');
      }
      return c.json(errorBody(err.code, err.message), err.status as ContentfulStatusCode);
    }
    if (err instanceof HTTPException && err.status < 500) {
      const code = STATUS_CODES[err.status] ?? ErrorCode.BAD_REQUEST;
      const message = err.status === 413 ? 'the request body is too large' : err.message || code;
      return c.json(errorBody(code, message), err.status);
    }
    log.error(
      { err, requestId: c.get('requestId'), method: c.req.method, path: c.req.path },
      'unhandled error',
    );
    return c.json(errorBody(ErrorCode.INTERNAL, 'internal error'), 500);
  };
}

export const apiNotFound: NotFoundHandler<AppEnv> = (c) =>
  c.json(errorBody(ErrorCode.NOT_FOUND, `no route for ${c.req.method} ${c.req.path}`), 404);
