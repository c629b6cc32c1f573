// The page refuses an experiment too large for the core before it reads it: a share link or an
// imported file bigger than the catalog's limits.max_spec_bytes (1 MB if the core does not say).
import * as fmt from './format.js';

const DEFAULT_MAX_SPEC_BYTES = 1_000_000;

export function maxSpecBytes(limits) {
  return limits?.max_spec_bytes ?? DEFAULT_MAX_SPEC_BYTES;
}

// The message to show if `bytes` is over the limit, else null. what: "link", "file", ...
export function oversize(bytes, limits, what) {
  const max = maxSpecBytes(limits);
  if (bytes <= max) return null;
  return `This ${what} holds an experiment of ${fmt.count(bytes)} bytes; the most the page opens is ${fmt.count(max)} bytes`;
}

// The spec's size in a link's "#exp=..." part, counted without decoding it (base64: 3 bytes per 4
// characters).
export function linkSpecBytes(hash) {
  const eq = hash.indexOf('=');
  return Math.floor(((hash.length - eq - 1) * 3) / 4);
}
