import sharp from 'sharp';

/** The map's longest side: enough to see which parts changed, small to send. */
const MAX_SIDE = 1024;

/**
 * A heat map of what an output changed in its original, for the "What changed" view: warm and
 * opaque where the pictures differ, transparent where they match. Both are compared as
 * contrast-stretched greyscale, so a global grade (exposure, white balance) shows as little; the
 * whole image's mean difference is taken off before the rest is scaled up. All in libvips.
 */
export async function changeMap(original: Uint8Array, output: Uint8Array): Promise<Buffer> {
  const meta = await sharp(output).metadata();
  const scale = Math.min(1, MAX_SIDE / Math.max(meta.width ?? MAX_SIDE, meta.height ?? MAX_SIDE));
  const width = Math.max(1, Math.round((meta.width ?? MAX_SIDE) * scale));
  const height = Math.max(1, Math.round((meta.height ?? MAX_SIDE) * scale));
  const grey = (data: Uint8Array) => sharp(data).resize(width, height, { fit: 'fill' }).greyscale().normalise().blur(1.2).raw().toBuffer();
  const [before, after] = await Promise.all([grey(original), grey(output)]);
  const raw = { width, height, channels: 1 as const };
  // Compositing adds an alpha and colour channels: keep the first (all three are the same grey).
  const blended = await sharp(before, { raw }).composite([{ input: after, raw, blend: 'difference' }]).raw().toBuffer({ resolveWithObject: true });
  const difference = await sharp(blended.data, { raw: { width, height, channels: blended.info.channels } }).extractChannel(0).raw().toBuffer();
  const { channels } = await sharp(difference, { raw }).stats();
  const mean = channels[0]?.mean ?? 0;
  // 0 up to the mean difference plus a margin, then steeply up to opaque; smoothed into areas.
  const scaled = await sharp(difference, { raw }).linear(5, -(mean + 10) * 5).blur(3).raw().toBuffer({ resolveWithObject: true });
  const alpha = await sharp(scaled.data, { raw: { width, height, channels: scaled.info.channels } }).extractChannel(0).raw().toBuffer();
  return sharp({ create: { width, height, channels: 3, background: { r: 255, g: 80, b: 0 } } })
    .joinChannel(alpha, { raw })
    .png()
    .toBuffer();
}
