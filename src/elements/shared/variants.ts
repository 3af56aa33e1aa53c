import type { JobOutput } from '../../contract/job.js';

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
}

/** Maps a job's outputs to comparison variants. */
export function variantsFromOutputs(outputs: readonly JobOutput[]): CompareVariant[] {
  return outputs.map((output, index) => ({
    id: output.id,
    url: output.url,
    width: output.width,
    height: output.height,
    label: `Variant ${index + 1}`,
    localPreview: output.local_preview,
    contentType: output.content_type,
  }));
}
