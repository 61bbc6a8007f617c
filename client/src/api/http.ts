// The one fetch wrapper: same-origin cookies, JSON bodies, every response parsed with a
// shared zod schema at this boundary. Non-2xx answers become ApiError with the server's
// code; a fetch that never got an answer becomes NetworkError.
import { errorBodySchema } from '@canopy/shared';
import type { z } from 'zod';
import { ApiError, NetworkError } from './api-error.js';

export interface RequestOptions<S extends z.ZodType | undefined> {
  method?: 'GET' | 'POST' | 'PATCH' | 'PUT' | 'DELETE';
  body?: unknown;
  schema?: S;
  signal?: AbortSignal;
}

type Result<S> = S extends z.ZodType ? z.infer<S> : undefined;

export async function apiRequest<S extends z.ZodType | undefined = undefined>(
  path: string,
  options: RequestOptions<S> = {},
): Promise<Result<S>> {
  const init: RequestInit = {
    method: options.method ?? 'GET',
    credentials: 'same-origin',
    headers: { accept: 'application/json' },
  };
  if (options.body !== undefined) {
    init.body = JSON.stringify(options.body);
    init.headers = { accept: 'application/json', 'content-type': 'application/json' };
  }
  if (options.signal) init.signal = options.signal;
  let res: Response;
  try {
    res = await fetch(path, init);
  } catch (cause) {
    if (cause instanceof DOMException && cause.name === 'AbortError') throw cause;
    throw new NetworkError('network request failed', { cause });
  }
  if (!res.ok) throw await toApiError(res);
  if (!options.schema || res.status === 204) return undefined as Result<S>;
  let json: unknown;
  try {
    json = await res.json();
  } catch (cause) {
    throw new ApiError(res.status, 'bad_response', 'The server sent an unreadable answer.', cause);
  }
  const parsed = options.schema.safeParse(json);
  if (!parsed.success) {
    throw new ApiError(res.status, 'bad_response', 'The server sent an unexpected answer.');
  }
  return parsed.data as Result<S>;
}

/** The error for a non-2xx answer (also used by the XHR upload path in blob-api.ts). */
export async function toApiError(res: Response): Promise<ApiError | NetworkError> {
  // A service worker or proxy answering for an unreachable server looks like a 5xx
  // without our error body; treat 502-504 as "no answer".
  let body: unknown = null;
  try {
    body = await res.json();
  } catch {
    body = null;
  }
  const parsed = errorBodySchema.safeParse(body);
  if (parsed.success) {
    const { code, message, details } = parsed.data.error;
    return new ApiError(res.status, code, message, details);
  }
  if (res.status >= 502 && res.status <= 504) {
    return new NetworkError(`server unreachable (${res.status})`);
  }
  return new ApiError(res.status, 'http_' + String(res.status), `Request failed (${res.status}).`);
}
