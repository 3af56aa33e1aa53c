import type { Resolution } from '../../contract/index.js';
import type { RawOptionValue } from './option-fields.js';

/** A reference image chosen in the picker, while and after it uploads. */
export interface ReferenceState {
  file: File;
  /** Object URL of the file for the thumbnail; null while disconnected. */
  url: string | null;
  /** 0–1 while uploading, null otherwise. */
  progress: number | null;
  uploadId?: string;
  error?: string;
  controller?: AbortController;
}

/** Everything chosen for one service, kept when switching away so switching back restores it. */
export interface Choice {
  config: string;
  resolution: Resolution;
  prompt: string;
  variants: string;
  options: Record<string, RawOptionValue>;
  reference: ReferenceState | null;
  wantsMask: boolean;
}
