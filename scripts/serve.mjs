// Serves the OptLab page for a class or a test: web/ at /, and the few npm packages the page imports
// (d3 pieces, KaTeX) under /vendor/<package>/..., so the page runs from a clone without a bundler.
// Usage: node scripts/serve.mjs [--port 8080] [--host 127.0.0.1]   (--port 0 picks a free port)
// Prints one line "OptLab serving http://HOST:PORT/" once listening (tests read the port from it).
import http from 'node:http';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import zlib from 'node:zlib';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const webDir = path.join(root, 'web');
const modulesDir = path.join(root, 'node_modules');

// Only these packages are reachable, and only their dist/ folders: the server never exposes the
// rest of node_modules (or anything else on disk) to the network.
const VENDOR = new Set([
  'd3-array', 'd3-color', 'd3-contour', 'd3-interpolate', 'd3-scale-chromatic', 'katex',
]);

const MIME = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  // The right type lets the browser compile the module while it downloads (and avoids a warning).
  '.wasm': 'application/wasm',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
  '.woff': 'font/woff',
  '.ttf': 'font/ttf',
  '.txt': 'text/plain; charset=utf-8',
};

function parseArgs(argv) {
  const opts = { port: 8080, host: '127.0.0.1' };
  for (let i = 0; i < argv.length; i++) {
    const [key, inline] = argv[i].split('=', 2);
    const value = inline ?? argv[++i];
    if (key === '--port') {
      opts.port = Number(value);
      if (!Number.isInteger(opts.port) || opts.port < 0 || opts.port > 65535) {
        throw new Error(`--port: expected a whole number 0..65535, got "${value}"`);
      }
    } else if (key === '--host') {
      if (!value) throw new Error('--host: expected a host name or address');
      opts.host = value;
    } else {
      throw new Error(`unknown option "${argv[i]}" (use --port N, --host H)`);
    }
  }
  return opts;
}

// Maps a URL path to a file inside an allowed folder, or null. Decoding happens first and the result
// must stay under its base folder, so "..", encoded or not, never escapes.
function resolveFile(urlPath) {
  let decoded;
  try {
    decoded = decodeURIComponent(urlPath);
  } catch {
    return null;
  }
  if (decoded.includes('\0')) return null;
  let base = webDir;
  let rest = decoded;
  const vendor = /^\/vendor\/([^/]+)\/(dist\/.*)$/.exec(decoded);
  if (vendor) {
    if (!VENDOR.has(vendor[1])) return null;
    base = path.join(modulesDir, vendor[1]);
    rest = vendor[2];
  } else if (decoded.startsWith('/vendor/')) {
    return null;
  }
  if (rest.endsWith('/')) rest += 'index.html';
  const file = path.resolve(base, '.' + path.posix.normalize('/' + rest));
  return file.startsWith(base + path.sep) ? file : null;
}

// Text and wasm go out gzip-compressed when the browser accepts it (a class on a slow school network
// loads ~3x fewer bytes); each file is compressed once per version (size and mtime).
const COMPRESSIBLE = new Set(['.html', '.js', '.mjs', '.css', '.json', '.wasm', '.svg', '.txt']);
const gzipped = new Map(); // file -> {key, body}
function gzipOf(file, st) {
  const key = `${st.size}:${st.mtimeMs}`;
  const hit = gzipped.get(file);
  if (hit?.key === key) return hit.body;
  const body = zlib.gzipSync(fs.readFileSync(file), { level: 6 });
  gzipped.set(file, { key, body });
  return body;
}

function send(res, status, body, type = 'text/plain; charset=utf-8') {
  res.writeHead(status, { 'Content-Type': type, 'Cache-Control': 'no-cache' });
  res.end(body);
}

function handle(req, res) {
  if (req.method !== 'GET' && req.method !== 'HEAD') return send(res, 405, 'method not allowed\n');
  const url = new URL(req.url, 'http://localhost');
  const file = resolveFile(url.pathname);
  if (!file) return send(res, 404, 'not found\n');
  fs.stat(file, (err, st) => {
    if (err || !st.isFile()) return send(res, 404, 'not found\n');
    const ext = path.extname(file).toLowerCase();
    const headers = {
      'Content-Type': MIME[ext] ?? 'application/octet-stream',
      // Teachers reload after a rebuild; never let a stale module linger.
      'Cache-Control': 'no-cache',
      'X-Content-Type-Options': 'nosniff',
      Vary: 'Accept-Encoding',
    };
    if (COMPRESSIBLE.has(ext) && /\bgzip\b/.test(req.headers['accept-encoding'] ?? '')) {
      const body = gzipOf(file, st);
      res.writeHead(200, { ...headers, 'Content-Encoding': 'gzip', 'Content-Length': body.length });
      return res.end(req.method === 'HEAD' ? undefined : body);
    }
    res.writeHead(200, { ...headers, 'Content-Length': st.size });
    if (req.method === 'HEAD') return res.end();
    fs.createReadStream(file).pipe(res);
  });
}

let opts;
try {
  opts = parseArgs(process.argv.slice(2));
} catch (e) {
  console.error(`serve.mjs: ${e.message}`);
  process.exit(2);
}
if (!fs.existsSync(path.join(webDir, 'wasm', 'optlab.mjs'))) {
  console.error('serve.mjs: web/wasm/optlab.mjs is missing; run `bash scripts/build.sh wasm` first');
}
const server = http.createServer(handle);
server.on('error', (e) => {
  console.error(`serve.mjs: cannot listen on ${opts.host}:${opts.port}: ${e.message}`);
  process.exit(1);
});
server.listen(opts.port, opts.host, () => {
  const { port } = server.address();
  const host = opts.host.includes(':') ? `[${opts.host}]` : opts.host;
  console.log(`OptLab serving http://${host}:${port}/`);
});
// Browsers keep connections alive; drop them so that stopping the server is immediate.
for (const sig of ['SIGINT', 'SIGTERM']) {
  process.on(sig, () => {
    server.close(() => process.exit(0));
    server.closeAllConnections();
  });
}
