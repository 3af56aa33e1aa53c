import { createRequire } from 'node:module';
import sharp, { type Sharp } from 'sharp';
import type { LabelPlacement } from './profiles.js';

/**
 * The label's typeface, shipped with the package (the `dejavu-fonts-ttf` dependency, free licence)
 * rather than found on the machine, so that a label renders the same on every server.
 */
const FONT_FILE = createRequire(import.meta.url).resolve('dejavu-fonts-ttf/ttf/DejaVuSans-Bold.ttf');
const FONT = 'DejaVu Sans Bold';

/** The plate behind the text: dark enough that white text keeps ≥ 4.5:1 contrast on a white photo. */
const PLATE_OPACITY = 0.66;

const escapeMarkup = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

export interface LabelSpec {
  text: string;
  placement: LabelPlacement;
  /** The text's cap-to-descender height as a fraction of the photo's shorter side. */
  size: number;
}

/** Where the plate went, in the photo's pixels (tests measure legibility there). */
export interface LabelBox {
  left: number;
  top: number;
  width: number;
  height: number;
  textHeight: number;
}

/**
 * Draws `spec` into a copy of the photo: white text on a rounded dark plate in a corner,
 * sized from the photo so it reads the same at 2K and 4K. Returns the plate's box too.
 */
export async function burnLabel(photo: Sharp, width: number, height: number, spec: LabelSpec): Promise<{ image: Sharp; box: LabelBox }> {
  const short = Math.min(width, height);
  const textHeight = Math.max(14, Math.round(short * spec.size));
  const text = await sharp({
    text: {
      text: `<span foreground="#ffffff">${escapeMarkup(spec.text)}</span>`,
      font: FONT,
      fontfile: FONT_FILE,
      // Pango sizes by points at a dpi; asking for the height in pixels lets libvips pick the dpi.
      height: textHeight,
      width: Math.round(width * 0.8),
      rgba: true,
    },
  })
    .png()
    .toBuffer({ resolveWithObject: true });
  const pad = Math.round(textHeight * 0.45);
  const plateW = text.info.width + pad * 2;
  const plateH = text.info.height + pad * 2;
  const radius = Math.round(pad * 0.8);
  const plate = Buffer.from(
    `<svg xmlns="http://www.w3.org/2000/svg" width="${plateW}" height="${plateH}"><rect width="${plateW}" height="${plateH}" rx="${radius}" fill="#000" fill-opacity="${PLATE_OPACITY}"/></svg>`,
  );
  const margin = Math.round(short * 0.025);
  const [vertical, horizontal] = spec.placement.split('-') as ['top' | 'bottom', 'start' | 'end'];
  const left = horizontal === 'start' ? margin : width - plateW - margin;
  const top = vertical === 'top' ? margin : height - plateH - margin;
  const image = photo.composite([
    { input: plate, left, top },
    { input: text.data, left: left + pad, top: top + pad },
  ]);
  return { image, box: { left, top, width: plateW, height: plateH, textHeight: text.info.height } };
}
