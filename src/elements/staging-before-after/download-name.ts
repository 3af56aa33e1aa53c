const EXTENSIONS: Record<string, string> = {
  'image/jpeg': 'jpg',
  'image/png': 'png',
  'image/webp': 'webp',
  'image/avif': 'avif',
  'image/gif': 'gif',
};

/**
 * The name a downloaded result is saved under: `base`, the variant's id when there is one, and
 * an extension from the image's type, else from its URL, else `jpg`.
 */
export function downloadName(base: string, variantId: string | undefined, contentType: string | undefined, url: string): string {
  const name = variantId ? `${base}-${variantId}` : base;
  const ext = (contentType && EXTENSIONS[contentType.split(';')[0]!.trim()]) ?? extensionFromUrl(url) ?? 'jpg';
  return `${name}.${ext}`;
}

function extensionFromUrl(url: string): string | undefined {
  try {
    const match = /\.(jpe?g|png|webp|avif|gif)$/i.exec(new URL(url, location.href).pathname);
    return match ? match[1]!.toLowerCase().replace('jpeg', 'jpg') : undefined;
  } catch {
    return undefined;
  }
}
