import { Writable } from 'node:stream';
import { afterEach, describe, expect, it } from 'vitest';
import { pino } from 'pino';
import { errorBodySchema } from '@canopy/shared';
import { createAppHarness } from './http/testing/app-harness.js';
import type { AppHarness } from './http/testing/app-harness.js';

let h: AppHarness | undefined;
afterEach(async () => {
  await h?.close();
});

describe('error funnel', () => {
  it('turns an unexpected error into a generic 500, logged once with the request id and no body', async () => {
    const lines: Record<string, unknown>[] = [];
    const sink = new Writable({
      write(chunk: Buffer, _enc, done) {
        lines.push(JSON.parse(chunk.toString()) as Record<string, unknown>);
        done();
      },
    });
    h = createAppHarness({}, { log: pino({ level: 'info' }, sink) });
    h.app.post('/api/boom', () => {
      throw new Error('database exploded');
    });
    const res = await h.request('POST', '/api/boom', {
      body: { password: 'hunter2hunter2' },
      headers: { 'x-request-id': 'req-123' },
    });
    expect(res.status).toBe(500);
    const body = errorBodySchema.parse(await res.json());
    expect(body.error).toEqual({ code: 'internal_error', message: 'internal error' });
    const errors = lines.filter((l) => l.msg === 'unhandled error');
    expect(errors).toHaveLength(1);
    expect(errors[0]).toMatchObject({ requestId: 'req-123', path: '/api/boom' });
    expect(JSON.stringify(lines)).not.toContain('hunter2hunter2');
  });
});
