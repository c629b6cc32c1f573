// A plot's axis names in the margins a frame leaves: the horizontal one centred under the tick
// labels, the vertical one turned along the left edge, each shrunk to fit its side. Pure; returns
// the css boxes the names took ({x, y, w, h}, for checks that nothing is cut off).
import { theme, font } from '../theme.js';

// names: [horizontal, vertical]; frame: render/frame.js (plot, width, height, dpr).
export function drawAxisNames(ctx, names, frame) {
  const p = frame.plot;
  const th = theme();
  ctx.save();
  ctx.setTransform(frame.dpr, 0, 0, frame.dpr, 0, 0);
  ctx.fillStyle = th.ink;
  ctx.textAlign = 'center';
  ctx.textBaseline = 'bottom';
  const size = 14;
  ctx.font = font(size, { weight: 600 });
  const wx = Math.min(ctx.measureText(names[0]).width, p.width);
  const yx = frame.height - 3;
  ctx.fillText(names[0], p.left + p.width / 2, yx, p.width);
  const wy = Math.min(ctx.measureText(names[1]).width, p.height);
  ctx.translate(3, p.top + p.height / 2);
  ctx.rotate(-Math.PI / 2);
  ctx.textBaseline = 'top';
  ctx.fillText(names[1], 0, 0, p.height);
  ctx.restore();
  const em = size * th.font;
  return [
    { x: p.left + (p.width - wx) / 2, y: yx - em, w: wx, h: em },
    { x: 3, y: p.top + (p.height - wy) / 2, w: em, h: wy },
  ];
}
