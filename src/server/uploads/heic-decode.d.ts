// heic-decode ships no types; this covers the part decode-heic.ts uses (v2.1).
declare module 'heic-decode' {
  interface DecodedHeicImage {
    width: number;
    height: number;
    /** RGBA, 4 bytes per pixel, row-major. */
    data: Uint8ClampedArray;
  }
  interface HeicImageHandle {
    width: number;
    height: number;
    decode(): Promise<DecodedHeicImage>;
  }
  interface HeicDecode {
    (input: { buffer: ArrayBufferLike | Uint8Array }): Promise<DecodedHeicImage>;
    /** Parses only; pixels are decoded by each handle's `decode()`. Call `dispose()` after. */
    all(input: { buffer: ArrayBufferLike | Uint8Array }): Promise<HeicImageHandle[] & { dispose(): void }>;
  }
  const decode: HeicDecode;
  export = decode;
}
