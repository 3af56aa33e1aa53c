import type { OutputDisclosure } from '../../contract/disclosure.js';
import type { JobOutput } from '../../contract/job.js';
import { TEXT } from '../staging-before-after/compare-text.js';

// Shared, so the widget can map outputs without loading the comparison slider.

/** One result image to compare against the original. */
export interface CompareVariant {
  id: string;
  /** Image URL; a signed output URL works without headers. */
  url: string;
  width?: number;
  height?: number;
  /** Shown in the variant chooser; defaults to "Variant n". */
  label?: string;
  /** The local engine could not perform the service: this is only a graded preview. */
  localPreview?: boolean;
  /** MIME type, used to name the downloaded file (e.g. from `JobOutput.content_type`). */
  contentType?: string;
  /** A heat map of what changed (`JobOutput.changes_url`), for the "What changed" toggle. */
  changesUrl?: string;
  /** What publishing it takes (`JobOutput.disclosure`): shown before "Use this image", sent with the choice. */
  disclosure?: OutputDisclosure;
}

/**
 * Maps a job's outputs to comparison variants. A variant shows (and downloads) the copy to
 * publish: with its label burned in when the disclosure profile asks for one.
 */
export function variantsFromOutputs(outputs: readonly JobOutput[]): CompareVariant[] {
  return outputs.map((output, index) => ({
    id: output.id,
    url: output.disclosure?.published_url ?? output.url,
    changesUrl: output.changes_url,
    disclosure: output.disclosure,
    width: output.width,
    height: output.height,
    label: TEXT.variant(index + 1),
    localPreview: output.local_preview,
    contentType: output.content_type,
  }));
}
