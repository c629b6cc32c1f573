// Loads the built wasm module under node. Emscripten 3.1.6 cannot fetch its own .wasm by path
// under node 20, so the bytes are handed to the factory.
import fs from 'node:fs';
import { fileURLToPath } from 'node:url';

export const root = fileURLToPath(new URL('../../', import.meta.url));
const modulePath = new URL('../../build/wasm/optlab.mjs', import.meta.url);
const wasmPath = new URL('../../build/wasm/optlab.wasm', import.meta.url);

export async function loadOptLab() {
  const { default: createOptLab } = await import(modulePath);
  return createOptLab({ wasmBinary: fs.readFileSync(wasmPath) });
}
