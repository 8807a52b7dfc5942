// A stand-in map tile server for the browser journeys, which never reach the internet: one blank
// 256×256 PNG (light grey, a faint edge so the tile grid shows in screenshots) for any
// /{z}/{x}/{y}.png. Usage: node e2e/tile-server.mjs <port>
import { createServer } from 'node:http';
import { crc32, deflateSync } from 'node:zlib';

const SIZE = 256;
const FILL = [0xee, 0xf0, 0xf3];
const EDGE = [0xdc, 0xdf, 0xe6];

function chunk(type, data) {
  const length = Buffer.alloc(4);
  length.writeUInt32BE(data.length);
  const body = Buffer.concat([Buffer.from(type, 'ascii'), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(body));
  return Buffer.concat([length, body, crc]);
}

function blankTile() {
  const header = Buffer.alloc(13);
  header.writeUInt32BE(SIZE, 0);
  header.writeUInt32BE(SIZE, 4);
  header.writeUInt8(8, 8); // bit depth
  header.writeUInt8(2, 9); // colour type: RGB
  const rows = Buffer.alloc(SIZE * (1 + SIZE * 3));
  for (let y = 0; y < SIZE; y++) {
    const row = y * (1 + SIZE * 3);
    rows[row] = 0; // filter: none
    for (let x = 0; x < SIZE; x++) {
      const colour = x === 0 || y === 0 ? EDGE : FILL;
      rows.set(colour, row + 1 + x * 3);
    }
  }
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', header),
    chunk('IDAT', deflateSync(rows)),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

const TILE = blankTile();
const TILE_PATH = /^\/\d{1,2}\/\d{1,7}\/\d{1,7}\.png$/;
const port = Number(process.argv[2] ?? process.env.PORT);
if (!Number.isInteger(port) || port <= 0) throw new Error('usage: node e2e/tile-server.mjs <port>');

createServer((request, response) => {
  const path = new URL(request.url ?? '/', 'http://tiles').pathname;
  if (request.method !== 'GET' || !TILE_PATH.test(path)) {
    response.writeHead(404).end();
    return;
  }
  response.writeHead(200, {
    'content-type': 'image/png',
    'content-length': TILE.length,
    'cache-control': 'no-store',
    'access-control-allow-origin': '*',
  });
  response.end(TILE);
}).listen(port, '127.0.0.1', () => console.log(`tile server on http://127.0.0.1:${port}`));
