// Loads the built wasm module under node. Emscripten 3.1.6 cannot fetch its own .wasm by path
// under node 20, so the bytes are handed to the factory.
import fs from 'node:fs';
import path from 'node:path';
import { spawnSync } from 'node:child_process';
import { fileURLToPath, pathToFileURL } from 'node:url';

export const root = fileURLToPath(new URL('../../', import.meta.url));
// OPTLAB_WASM_DIR: load the module from another build directory (default build/wasm).
const wasmDir = process.env.OPTLAB_WASM_DIR ? pathToFileURL(`${path.resolve(process.env.OPTLAB_WASM_DIR)}/`)
  : new URL('../../build/wasm/', import.meta.url);
const modulePath = new URL('optlab.mjs', wasmDir);
const wasmPath = new URL('optlab.wasm', wasmDir);
// OPTLAB_NATIVE_DIR: the native build whose CLI the byte-equality tests compare with.
export const nativeCli = path.join(process.env.OPTLAB_NATIVE_DIR ? path.resolve(process.env.OPTLAB_NATIVE_DIR)
  : path.join(root, 'build/native'), 'optlab');
// `optlab run -` on a spec's text, for the byte-equality checks; and torch's 1e-9 relative tolerance.
export const runCli = (text) => spawnSync(nativeCli, ['run', '-'], { input: text, encoding: 'utf8' });
export const close = (got, want, scale) => Math.abs(got - want) <= 1e-9 * Math.abs(scale);

export async function loadOptLab() {
  const { default: createOptLab } = await import(modulePath);
  return createOptLab({ wasmBinary: fs.readFileSync(wasmPath) });
}
