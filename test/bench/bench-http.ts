// The benchmarks' one HTTP helper for seeding: a same-origin JSON POST with an optional
// session cookie; a non-2xx answer throws with the server's body.
import { SESSION_COOKIE_NAME } from '@canopy/shared';

export async function post(
  origin: string,
  route: string,
  body: unknown,
  cookie?: string,
): Promise<Response> {
  const headers: Record<string, string> = { 'content-type': 'application/json', origin };
  if (cookie !== undefined) headers.cookie = `${SESSION_COOKIE_NAME}=${cookie}`;
  const res = await fetch(`${origin}${route}`, {
    method: 'POST',
    headers,
    body: JSON.stringify(body),
  });
  if (!res.ok) throw new Error(`POST ${route}: ${res.status} ${await res.text()}`);
  return res;
}
