// Hono environment of the app and the small helpers every route uses: who is calling,
// parsing bodies/queries/params against the shared schemas, the request's own origin.
import type { Context } from 'hono';
import type { HttpBindings } from '@hono/node-server';
import { ErrorCode, groupIdSchema, userIdSchema } from '@canopy/shared';
import type { GroupId, UserId } from '@canopy/shared';
import type { z } from 'zod';
import type { ValidSession } from '../auth/sessions.js';
import { clientAddress, firstHeaderValue } from '../auth/origin-policy.js';
import { ApiError, forbidden, notFound, unauthenticated } from './api-error.js';

export interface AppEnv {
  // Absent under app.request() in tests; present under @hono/node-server.
  Bindings: Partial<HttpBindings>;
  Variables: {
    requestId: string;
    auth: ValidSession | null;
  };
}
export type AppContext = Context<AppEnv>;

export function requireAuth(c: AppContext): ValidSession {
  const auth = c.get('auth');
  if (!auth) throw unauthenticated();
  return auth;
}

/** The signed-in user if they are an admin; 401 or 403 otherwise. */
export function requireAdmin(c: AppContext): ValidSession['user'] {
  const auth = requireAuth(c);
  if (auth.user.role !== 'admin') throw forbidden('administrators only');
  return auth.user;
}

function issuesOf(error: z.ZodError) {
  return error.issues.map((i) => ({
    path: i.path.map(String).join('.'),
    code: i.code,
    message: i.message,
  }));
}

export function validationError(error: z.ZodError): ApiError {
  return new ApiError(422, ErrorCode.VALIDATION, 'request does not match the schema', {
    issues: issuesOf(error),
  });
}

function isJsonType(contentType: string | undefined): boolean {
  const type = contentType?.split(';')[0]?.trim().toLowerCase() ?? '';
  return type === 'application/json' || (type.startsWith('application/') && type.endsWith('+json'));
}

/** Parse a JSON body against a (strict) schema: 415 / 400 / 422 on the way. */
export async function readJson<S extends z.ZodType>(
  c: AppContext,
  schema: S,
): Promise<z.output<S>> {
  if (!isJsonType(c.req.header('content-type'))) {
    throw new ApiError(415, ErrorCode.UNSUPPORTED_MEDIA_TYPE, 'send the body as application/json');
  }
  const text = await c.req.text();
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw new ApiError(400, ErrorCode.BAD_REQUEST, 'the body is not valid JSON');
  }
  const parsed = schema.safeParse(value);
  if (!parsed.success) throw validationError(parsed.error);
  return parsed.data;
}

export function readQuery<S extends z.ZodType>(c: AppContext, schema: S): z.output<S> {
  const parsed = schema.safeParse(c.req.query());
  if (!parsed.success) throw validationError(parsed.error);
  return parsed.data;
}

/** A path id that cannot be an id names nothing: 404, like an unknown one. */
export function groupIdParam(c: AppContext, name = 'id'): GroupId {
  const parsed = groupIdSchema.safeParse(c.req.param(name));
  if (!parsed.success) throw notFound('group');
  return parsed.data;
}

export function userIdParam(c: AppContext, name = 'userId'): UserId {
  const parsed = userIdSchema.safeParse(c.req.param(name));
  if (!parsed.success) throw notFound('user');
  return parsed.data;
}

/** scheme://host of this request, honouring X-Forwarded-Proto behind a trusted proxy. */
export function requestOrigin(c: AppContext, trustProxy: boolean): string {
  const url = new URL(c.req.url);
  const proto = trustProxy ? firstHeaderValue(c.req.header('x-forwarded-proto')) : null;
  const scheme = proto === 'https' || proto === 'http' ? proto : url.protocol.slice(0, -1);
  return `${scheme}://${url.host}`;
}

export function requestIp(c: AppContext, trustProxy: boolean): string {
  return clientAddress(
    c.req.header('x-forwarded-for'),
    c.env?.incoming?.socket.remoteAddress,
    trustProxy,
  );
}
