/**
 * Image frame sizes in pixels (96 per inch), shared by the ODF writer, which sizes every `draw:frame`, and the
 * reader, which does not give a frame's size back (the schema image of the ODF profile has none) and so must
 * tell a display size of its own, a loss, from the one the writer gives an unsized image.
 */
import { imageSize } from 'image-size';

/** Pixels per unit of the ODF lengths a frame may use (`svg:width="2.5in"`). */
const PX_PER_UNIT: Record<string, number> = {
  in: 96,
  cm: 96 / 2.54,
  mm: 96 / 25.4,
  pt: 96 / 72,
  pc: 16,
  px: 1,
};

/** The pixel size a picture declares, or nothing when its bytes cannot be measured. */
export function pictureSizePx(bytes: Uint8Array): { width?: number; height?: number } {
  try {
    return imageSize(bytes);
  } catch {
    return {};
  }
}

/**
 * The frame size that the writer gives an image without width/height: the picture's own pixels, else 96 px
 * square (a linked picture has no bytes in the package).
 */
export function defaultFrameSizePx(bytes: Uint8Array | undefined): { width: number; height: number } {
  const size = bytes ? pictureSizePx(bytes) : {};
  const width = size.width || 96;
  return { width, height: size.height || width };
}

/** An ODF length (`1.5in`, `3cm`, `40pt`...) in pixels, or null when absent or not a length. */
export function lengthToPx(value: string | undefined): number | null {
  const match = /^\s*(\d+(?:\.\d+)?|\.\d+)\s*(in|cm|mm|pt|pc|px)\s*$/i.exec(value ?? '');
  if (!match) return null;
  return Number(match[1]) * (PX_PER_UNIT[match[2]!.toLowerCase()] ?? 1);
}

/**
 * Whether a frame of `width` x `height` (ODF lengths) shows its picture at a size other than the writer's
 * default for it, i.e. at a display size the reader drops. Half a pixel of slack absorbs the writer's
 * rounding to 4 decimals of an inch; a frame without a readable size has nothing to lose.
 */
export function frameSizeIsLost(
  width: string | undefined,
  height: string | undefined,
  bytes: Uint8Array | undefined,
): boolean {
  const w = lengthToPx(width);
  const h = lengthToPx(height);
  if (w === null && h === null) return false;
  const natural = defaultFrameSizePx(bytes);
  return (
    (w !== null && Math.abs(w - natural.width) > 0.5) || (h !== null && Math.abs(h - natural.height) > 0.5)
  );
}
