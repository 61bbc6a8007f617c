// A WebSocket upgrade request sent verbatim (no URL normalization), to see how the server
// answers odd paths and headers before any socket exists.
import { request } from 'node:http';
import { withTimeout } from './wait-for.js';

export interface UpgradeAnswer {
  /** 101 when the server accepted the upgrade */
  status: number;
  body: string;
}

/**
 * Sends a WebSocket upgrade request for a path exactly as given (no URL normalization, so
 * `/sync/../x` reaches the server verbatim) and reports the status. An accepted upgrade's
 * socket is destroyed at once.
 */
export async function upgradeStatus(
  baseUrl: string,
  rawPath: string,
  headers: Record<string, string> = {},
): Promise<UpgradeAnswer> {
  const u = new URL(baseUrl);
  return withTimeout(
    new Promise<UpgradeAnswer>((resolve) => {
      const req = request({
        host: u.hostname,
        port: u.port,
        path: rawPath,
        method: 'GET',
        headers: {
          connection: 'Upgrade',
          upgrade: 'websocket',
          'sec-websocket-version': '13',
          'sec-websocket-key': Buffer.from('0123456789abcdef').toString('base64'),
          ...headers,
        },
      });
      req.on('upgrade', (res, socket) => {
        socket.destroy();
        resolve({ status: res.statusCode ?? 101, body: '' });
      });
      req.on('response', (res) => {
        let body = '';
        res.setEncoding('utf8');
        res.on('data', (c: string) => (body += c));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
      });
      // A dropped connection is a refusal too (status 0).
      req.on('error', (error) => resolve({ status: 0, body: error.message }));
      req.end();
    }),
    10_000,
    `upgrade ${rawPath}`,
  );
}
