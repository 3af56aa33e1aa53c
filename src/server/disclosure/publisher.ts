import { randomBytes } from 'node:crypto';
import sharp, { type Sharp } from 'sharp';
import type { BlobStore } from '../blobs.js';
import type { JobRecord, OutputDisclosureRecord, Store } from '../store/types.js';
import { burnLabel } from './label.js';
import type { DisclosureProfiles } from './profiles.js';
import { materialXmp } from './xmp.js';
import { checkStructureDrift } from './drift-check.js';
import type { DriftResult } from '../vision/structure-drift.js';
import type { Vision } from '../vision/vision.js';
import type { Logger } from '../logger.js';

/** 18 random bytes: 144 bits, base64url (letters, digits, `-`, `_`), so an original's page cannot be guessed. */
export const newOriginalPageId = (): string => randomBytes(18).toString('base64url');

export const originalPagePath = (pageId: string): string => `/v1/originals/${pageId}`;

export interface PreparedOutput {
  /** The bytes to store as the output (with XMP when material). */
  data: Buffer;
  disclosure: OutputDisclosureRecord;
}

const EXT: Record<string, string> = { 'image/png': 'png', 'image/webp': 'webp', 'image/jpeg': 'jpg' };

/**
 * Makes each finished output publishable under its job's disclosure profile, before it is stored:
 * - technical edits are stored as they came, with no AI mark;
 * - material edits get the XMP AI mark (IPTC digital source type, software agent, the original's
 *   page), a public page showing the original next to them, and, where the profile asks, a copy
 *   with a label burned in (the clean output is kept).
 */
export class DisclosurePublisher {
  /**
   * The structure-drift check against the job's original, outside its mask. A failure here never
   * fails the job: the output then carries no check (null), and the log says why.
   */
  private async drift(job: JobRecord, output: Buffer): Promise<DriftResult | null> {
    try {
      const upload = await this.o.store.getUpload(job.uploadId);
      const mask = job.maskUploadId ? await this.o.store.getUpload(job.maskUploadId) : null;
      if (!upload) return null;
      const [original, maskData] = await Promise.all([this.o.blobs.get(upload.blobKey), mask ? this.o.blobs.get(mask.blobKey) : null]);
      return await checkStructureDrift(this.o.vision, original, output, maskData);
    } catch (err) {
      this.o.logger.warn('structure drift check failed', { job: job.id, error: err instanceof Error ? err.message : String(err) });
      return null;
    }
  }

  constructor(
    private readonly o: { profiles: DisclosureProfiles; blobs: BlobStore; store: Store; publicUrl: string; providerName: string; vision: Vision; logger: Logger },
  ) {}

  async prepare(job: JobRecord, outputId: string, image: { data: Buffer; contentType: string; width: number; height: number }): Promise<PreparedOutput> {
    const profile = this.o.profiles.get(job.disclosureProfile);
    if (job.editClass === 'technical') {
      return {
        data: image.data,
        disclosure: { profile: profile.id, editClass: 'technical', label: null, caption: null, remarks: null, original: 'none', qrAllowed: false, publishedBlobKey: null, pageId: null },
      };
    }
    const pageId = newOriginalPageId();
    const xmp = materialXmp({ originalPageUrl: this.o.publicUrl + originalPagePath(pageId), providerName: this.o.providerName, when: new Date().toISOString() });
    // One decode, one encode per copy. JPEG at quality 95: re-encoding an output already encoded
    // once loses little at that quality, and metadata cannot be added to a JPEG without it here.
    const encode = (img: Sharp) =>
      (image.contentType === 'image/png' ? img.png() : image.contentType === 'image/webp' ? img.webp({ quality: 95 }) : img.jpeg({ quality: 95 })).withXmp(xmp).toBuffer();
    const data = await encode(sharp(image.data, { failOn: 'error' }));
    let publishedBlobKey: string | null = null;
    const label = profile.material.burn_label;
    if (label) {
      const { image: labelled } = await burnLabel(sharp(image.data, { failOn: 'error' }), image.width, image.height, label);
      publishedBlobKey = `outputs/${outputId}-published.${EXT[image.contentType] ?? 'jpg'}`;
      await this.o.blobs.put(publishedBlobKey, await encode(labelled));
    }
    const drift = await this.drift(job, image.data);
    await this.o.store.createOriginalPage({
      id: pageId,
      outputId,
      jobId: job.id,
      uploadId: job.uploadId,
      subject: job.subject,
      createdAt: new Date().toISOString(),
      withdrawnAt: null,
    });
    const m = profile.material;
    return {
      data,
      disclosure: { profile: profile.id, editClass: 'material', label: m.label, caption: m.caption, remarks: m.remarks, original: m.original, qrAllowed: m.qr_allowed, publishedBlobKey, pageId, drift },
    };
  }
}
