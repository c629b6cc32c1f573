// npm run dist: builds dist/ for any static host and dist/optlab.html for a computer with no network.
//   dist/index.html, optlab.js (every ES module in one bundle), map_worker.js (the map workers' own
//   bundle: engine.js and the wasm glue), optlab.css (page + KaTeX), fonts/, optlab.wasm — all referenced by RELATIVE paths, so the folder works under any sub-path
//   (a GitHub Pages project site) and from any static server.
//   dist/optlab.html — the same page in one file: scripts, styles, fonts and the wasm module inlined,
//   so it opens from file:// with no server. Its CSP allows the inlined scripts by their sha256.
// Usage: node scripts/dist.mjs [--no-wasm-build]   (the flag reuses web/wasm/ as it is; tests use it)
// Prints the gzip -9 size of every file and the total (the weight budget is 500 KB).
import { execFileSync } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';
import { fileURLToPath } from 'node:url';
import * as esbuild from 'esbuild';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const web = path.join(root, 'web');
const out = path.join(root, 'dist');
const katexDir = path.join(root, 'node_modules/katex/dist');

// The KaTeX fonts the update equations use (Main, bold vectors, italic letters, big delimiters and
// roots). The other faces are dropped with their @font-face rules; they would cost ~150 KB and the
// page never asks for them.
const KATEX_FONTS = [
  'KaTeX_Main-Regular', 'KaTeX_Main-Bold', 'KaTeX_Math-Italic',
  'KaTeX_Size1-Regular', 'KaTeX_Size2-Regular', 'KaTeX_Size3-Regular', 'KaTeX_Size4-Regular',
];

// The policy both builds share; the difference is where scripts, fonts and the wasm come from.
// 'wasm-unsafe-eval' lets WebAssembly compile without letting JavaScript eval; KaTeX sets inline
// style attributes, hence 'unsafe-inline' for styles only.
function csp({ scripts, fonts, connect }) {
  return [
    "default-src 'none'",
    `script-src ${scripts} 'wasm-unsafe-eval'`,
    "style-src 'self' 'unsafe-inline'",
    `font-src ${fonts}`,
    "img-src 'self' data: blob:",
    `connect-src ${connect}`,
    "base-uri 'none'",
    "form-action 'none'",
    "object-src 'none'",
  ].join('; ');
}

function main() {
  const buildWasm = !process.argv.includes('--no-wasm-build');
  if (buildWasm) execFileSync('bash', ['scripts/build.sh', 'wasm'], { cwd: root, stdio: 'inherit' });
  const wasmJs = fs.readFileSync(path.join(web, 'wasm/optlab.mjs'), 'utf8');
  // Embind compiles its glue with new Function() unless linked with -sDYNAMIC_EXECUTION=0, and a
  // policy without 'unsafe-eval' would then stop the page before its first frame.
  if (/new Function|\beval\(/.test(wasmJs)) {
    throw new Error('web/wasm/optlab.mjs uses new Function/eval: link optlab_wasm with -sDYNAMIC_EXECUTION=0');
  }

  fs.rmSync(out, { recursive: true, force: true });
  fs.mkdirSync(path.join(out, 'fonts'), { recursive: true });

  const js = bundleJs('main.js');
  const css = bundleCss();
  fs.writeFileSync(path.join(out, 'optlab.js'), js);
  // main.js starts workers from new URL('./map_worker.js', import.meta.url): beside optlab.js. The
  // single file starts none (its policy allows only its own inline script) and computes on the page.
  fs.writeFileSync(path.join(out, 'map_worker.js'), bundleJs('map_worker.js'));
  fs.writeFileSync(path.join(out, 'optlab.css'), css);
  fs.copyFileSync(path.join(web, 'wasm/optlab.wasm'), path.join(out, 'optlab.wasm'));
  for (const f of KATEX_FONTS) {
    fs.copyFileSync(path.join(katexDir, 'fonts', `${f}.woff2`), path.join(out, 'fonts', `${f}.woff2`));
  }

  const page = fs.readFileSync(path.join(web, 'index.html'), 'utf8');
  fs.writeFileSync(path.join(out, 'index.html'), hostedHtml(page));
  fs.writeFileSync(path.join(out, 'optlab.html'), singleFileHtml(page, js, css));
  // GitHub Pages would otherwise run Jekyll over the folder.
  fs.writeFileSync(path.join(out, '.nojekyll'), '');
  report();
}

function bundleJs(entry) {
  const r = esbuild.buildSync({
    entryPoints: [path.join(web, entry)],
    bundle: true, // the dynamic import of ./wasm/optlab.mjs is inlined too (no code splitting)
    format: 'esm',
    minify: true,
    target: ['chrome100', 'firefox100', 'safari15'],
    write: false,
    legalComments: 'none',
    logLevel: 'warning',
  });
  const text = r.outputFiles[0].text;
  // Inlined into <script> in optlab.html: the text must not be able to close its own element.
  if (/<\/script/i.test(text)) throw new Error('the bundle contains "</script"; it cannot be inlined');
  return text;
}

// The page's styles after KaTeX's, with KaTeX's fonts cut down to the kept woff2 files.
function bundleCss() {
  let katex = fs.readFileSync(path.join(katexDir, 'katex.min.css'), 'utf8');
  katex = katex.replace(/@font-face\{[^}]*\}/g, (rule) => {
    const m = /url\(fonts\/(KaTeX_[A-Za-z0-9-]+)\.woff2\)/.exec(rule);
    if (!m || !KATEX_FONTS.includes(m[1])) return '';
    return rule.replace(/src:[^}]*/, `src:url(fonts/${m[1]}.woff2) format("woff2")`);
  });
  const own = fs.readFileSync(path.join(web, 'styles.css'), 'utf8');
  return esbuild.transformSync(`${katex}\n${own}`, { loader: 'css', minify: true }).code;
}

// web/index.html loads unbundled modules through an import map and the dev server's /vendor/;
// here one script and one stylesheet replace them.
function pageParts(html) {
  const head = html
    .replace(/\s*<!-- Only the page's own scripts[\s\S]*?-->/, '')
    .replace(/\s*<!-- Bare specifiers[^>]*-->/, '')
    .replace(/\s*<script type="importmap">[\s\S]*?<\/script>/, '')
    .replace(/\s*<link rel="stylesheet" href="vendor\/katex\/dist\/katex.min.css">/, '')
    .replace(/\s*<link rel="stylesheet" href="styles.css">/, '')
    .replace(/\s*<script type="module" src="main.js"><\/script>/, '')
    .replace(/\s*<meta http-equiv="Content-Security-Policy"[^>]*>/, '');
  for (const gone of ['"importmap"', 'src="main.js"', 'href="styles.css"', 'vendor/']) {
    if (head.includes(gone)) throw new Error(`web/index.html changed shape: "${gone}" is still referenced`);
  }
  return head;
}

function hostedHtml(html) {
  const policy = csp({ scripts: "'self'", fonts: "'self'", connect: "'self'" });
  return pageParts(html).replace('<meta charset="utf-8">', `<meta charset="utf-8">
  <meta http-equiv="Content-Security-Policy" content="${policy}">`).replace('</head>', `  <link rel="stylesheet" href="optlab.css">
  <script type="module" src="optlab.js"></script>
</head>`);
}

function singleFileHtml(html, js, css) {
  const inlinedCss = css.replace(/url\(fonts\/(KaTeX_[A-Za-z0-9-]+\.woff2)\)/g, (_, file) =>
    `url(data:font/woff2;base64,${fs.readFileSync(path.join(out, 'fonts', file)).toString('base64')})`);
  const hash = crypto.createHash('sha256').update(js, 'utf8').digest('base64');
  const policy = csp({ scripts: `'sha256-${hash}'`, fonts: 'data:', connect: "'none'" });
  const wasm = fs.readFileSync(path.join(out, 'optlab.wasm')).toString('base64');
  // The wasm bytes sit in a data block (a script of a type browsers never run) that engine.js reads.
  // Function replacers: the bundle contains "$&"-like sequences a replacement string would expand.
  return pageParts(html).replace('<meta charset="utf-8">', () => `<meta charset="utf-8">
  <meta http-equiv="Content-Security-Policy" content="${policy}">`).replace('</head>', () => `  <style>${inlinedCss}</style>
  <script type="application/octet-stream" id="optlab-wasm">${wasm}</script>
  <script type="module">${js}</script>
</head>`);
}

function report() {
  let total = 0;
  const rows = [];
  const walk = (dir) => {
    for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
      const p = path.join(dir, e.name);
      if (e.isDirectory()) walk(p);
      else if (e.name !== 'optlab.html' && e.name !== '.nojekyll') {
        const gz = zlib.gzipSync(fs.readFileSync(p), { level: 9 }).length;
        total += gz;
        rows.push([path.relative(out, p), fs.statSync(p).size, gz]);
      }
    }
  };
  walk(out);
  for (const [f, raw, gz] of rows) console.log(`${f.padEnd(36)} ${String(raw).padStart(8)} B  gzip -9 ${String(gz).padStart(7)} B`);
  console.log(`dist/ page total (gzip -9): ${(total / 1024).toFixed(1)} KB (budget 500 KB)`);
  const single = path.join(out, 'optlab.html');
  const singleGz = zlib.gzipSync(fs.readFileSync(single), { level: 9 }).length;
  console.log(`dist/optlab.html single file: ${(fs.statSync(single).size / 1024).toFixed(1)} KB, gzip -9 ${(singleGz / 1024).toFixed(1)} KB`);
}

try {
  main();
} catch (e) {
  console.error(`dist.mjs: ${e.message}`);
  process.exit(1);
}
