/** A 24-megapixel phone-like photo's JPEG bytes (6000 × 4000, about 16 MB), made once per process with sharp. */
export function cameraPhoto(): Promise<Buffer>;
