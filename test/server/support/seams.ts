import sharp from 'sharp';

/**
 * Seam measures for a masked edit (issue 9, defect 1). All on luma, 8-bit levels, at the
 * output's size; `mask` is the painted mask resized to that size (0 = keep, 255 = change).
 */
export interface SeamReport {
  /** RMSE between output and input outside the mask dilated by `reach`, as a fraction of 255. */
  outsideRmse: number;
  /**
   * Largest step the edit adds across the mask's boundary beyond the input's own there, in
   * levels per pixel: per 32 px tile of the boundary band, the steepest step of the change's
   * mean profile across the edge minus the steepest step of the input's profile.
   */
  worstExcessStep: number;
  /** The same quantity's 99th percentile. */
  p99ExcessStep: number;
}

async function luma(data: Buffer, width: number, height: number): Promise<Float32Array> {
  const raw = await sharp(data).resize({ width, height, fit: 'fill' }).removeAlpha().toColourspace('b-w').raw().toBuffer();
  return Float32Array.from(raw);
}

/** Chebyshev distance (px) from each pixel to the nearest masked pixel (two-pass chamfer). */
function distanceToMask(mask: Uint8Array, w: number, h: number, inside: boolean): Float32Array {
  const INF = 1e9;
  const d = new Float32Array(w * h);
  for (let i = 0; i < d.length; i++) d[i] = (mask[i]! >= 128) === inside ? 0 : INF;
  for (let y = 0; y < h; y++)
    for (let x = 0; x < w; x++) {
      const i = y * w + x;
      if (x > 0) d[i] = Math.min(d[i]!, d[i - 1]! + 1);
      if (y > 0) d[i] = Math.min(d[i]!, d[i - w]! + 1, x > 0 ? d[i - w - 1]! + 1 : INF, x < w - 1 ? d[i - w + 1]! + 1 : INF);
    }
  for (let y = h - 1; y >= 0; y--)
    for (let x = w - 1; x >= 0; x--) {
      const i = y * w + x;
      if (x < w - 1) d[i] = Math.min(d[i]!, d[i + 1]! + 1);
      if (y < h - 1) d[i] = Math.min(d[i]!, d[i + w]! + 1, x < w - 1 ? d[i + w + 1]! + 1 : INF, x > 0 ? d[i + w - 1]! + 1 : INF);
    }
  return d;
}

export async function measureSeams(input: Buffer, output: Buffer, paintedMask: Buffer, reach: number): Promise<SeamReport> {
  const { width, height } = await sharp(output).metadata();
  const w = width;
  const h = height;
  const mask = await sharp(paintedMask).flatten({ background: '#000' }).resize({ width: w, height: h, fit: 'fill' }).toColourspace('b-w').raw().toBuffer();
  const toMask = distanceToMask(mask, w, h, true);

  const [inRaw, outRaw] = await Promise.all([luma(input, w, h), luma(output, w, h)]);
  let sq = 0;
  let n = 0;
  for (let i = 0; i < inRaw.length; i++) {
    if (toMask[i]! <= reach) continue;
    const e = outRaw[i]! - inRaw[i]!;
    sq += e * e;
    n++;
  }
  const outsideRmse = Math.sqrt(sq / Math.max(1, n)) / 255;

  // The seam: profiles across the mask's edge. Pixels from `reach` outside the edge to a third of
  // that inside (where the full-strength edit begins) are binned by
  // tile (32 px) and signed distance to the edge (2 px bins, negative inside); in each tile the
  // change's mean profile must not step between adjacent bins by more than the input's own
  // profile does. Averaging along the edge cancels texture that detail work legitimately
  // changes (sharpening on blinds), and keeps a seam, which runs along the edge.
  const fromInside = distanceToMask(mask, w, h, false);
  const TILE = 32;
  const INSIDE = 8;
  const BIN = 2;
  const bins = Math.ceil(reach / BIN);
  const tilesX = Math.ceil(w / TILE);
  const acc = new Map<number, Float64Array>(); // per tile: [n, sumD, sumIn] × (2·bins)
  for (let y = 0; y < h; y++)
    for (let x = 0; x < w; x++) {
      const i = y * w + x;
      const signed = toMask[i]! > 0 ? toMask[i]! : -fromInside[i]! + 1;
      if (signed > reach || signed < -INSIDE) continue;
      const b = Math.min(2 * bins - 1, Math.max(0, Math.floor(signed / BIN) + bins));
      const t = Math.floor(y / TILE) * tilesX + Math.floor(x / TILE);
      let a = acc.get(t);
      if (!a) acc.set(t, (a = new Float64Array(2 * bins * 3)));
      a[b * 3]! += 1;
      a[b * 3 + 1]! += outRaw[i]! - inRaw[i]!;
      a[b * 3 + 2]! += inRaw[i]!;
    }
  const excess: number[] = [];
  for (const a of acc.values()) {
    let stepD = 0;
    let stepIn = 0;
    for (let b = 0; b + 1 < 2 * bins; b++) {
      const n0 = a[b * 3]!;
      const n1 = a[(b + 1) * 3]!;
      if (n0 < 8 || n1 < 8) continue;
      stepD = Math.max(stepD, Math.abs(a[(b + 1) * 3 + 1]! / n1 - a[b * 3 + 1]! / n0) / BIN);
      stepIn = Math.max(stepIn, Math.abs(a[(b + 1) * 3 + 2]! / n1 - a[b * 3 + 2]! / n0) / BIN);
    }
    const e = stepD - stepIn;
    excess.push(e);
  }
  excess.sort((a, b) => a - b);
  return {
    outsideRmse,
    worstExcessStep: excess.at(-1) ?? 0,
    p99ExcessStep: excess[Math.floor(excess.length * 0.99)] ?? 0,
  };
}
