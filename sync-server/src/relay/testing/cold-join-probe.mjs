// Child-process probe for the cold-join measurement: connects a bare `ws` socket to
// the relay, sends sync step 1 with an empty state vector and prints the ms until the
// step 2 frame has arrived. Run as: node cold-join-probe.mjs <wsModulePath> <url> <cookie>
import { Buffer } from 'node:buffer';
import { performance } from 'node:perf_hooks';
import process from 'node:process';
import { pathToFileURL } from 'node:url';

const [wsPath, url, cookie] = process.argv.slice(2);
const { default: WebSocket } = await import(pathToFileURL(wsPath).href);
const t0 = performance.now();
const ws = new WebSocket(url, { headers: { cookie } });
ws.on('open', () => ws.send(Buffer.from([0, 0, 1, 0])));
ws.on('message', (data) => {
  if (data[0] === 0 && data[1] === 1) {
    process.stdout.write(`${JSON.stringify({ ms: performance.now() - t0, bytes: data.length })}\n`);
    ws.terminate();
  }
});
ws.on('error', (err) => {
  process.stderr.write(`${err.message}\n`);
  process.exit(1);
});
