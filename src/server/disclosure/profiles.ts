import { readFileSync } from 'node:fs';
import * as z from 'zod';
import { OriginalPlacement } from '../../contract/index.js';

/** Where a burned-in label sits on the photo (logical: `start` is the left in a left-to-right market). */
export const LabelPlacement = z.enum(['bottom-start', 'bottom-end', 'top-start', 'top-end']);
export type LabelPlacement = z.infer<typeof LabelPlacement>;

/**
 * One market's rules for publishing a materially altered photo, as data. Technical edits
 * (light, colour, straightening, size) need nothing under any profile.
 */
export const DisclosureProfile = z
  .strictObject({
    id: z.string().regex(/^[a-z0-9][a-z0-9-]{0,63}$/),
    name: z.string().min(1).max(200),
    /** The rule this summarises, for the host to confirm. */
    source_url: z.url(),
    /** When this summary was last compared with its source (YYYY-MM-DD). */
    checked_at: z.iso.date(),
    material: z.strictObject({
      /** A label drawn into the published copy, or null. `size`: the text's height as a fraction of the photo's shorter side. */
      burn_label: z.nullable(
        z.strictObject({
          text: z.string().min(1).max(60),
          placement: LabelPlacement,
          size: z.number().min(0.015).max(0.1),
        }),
      ),
      /** True when no words, watermark or QR code may be on the photo itself. */
      marks_forbidden: z.boolean(),
      /** The short label to show on or next to the image. */
      label: z.nullable(z.string().min(1).max(60)),
      caption: z.nullable(z.string().min(1).max(500)),
      remarks: z.nullable(z.string().min(1).max(500)),
      original: OriginalPlacement,
      qr_allowed: z.boolean(),
    }),
  })
  .refine((p) => !(p.material.burn_label && p.material.marks_forbidden), {
    message: 'a profile cannot both burn a label and forbid marks on the photo',
    path: ['material', 'burn_label'],
  });
export type DisclosureProfile = z.infer<typeof DisclosureProfile>;

const VIRTUALLY_STAGED = 'Virtually staged';

/**
 * The built-in profiles. Each summarises a rule as the project's issue 11 quoted it on
 * 2026-12-04 (the sources could not be opened from the build machine that day): the host must
 * confirm the rule for its market, and can replace any profile with STAGING_DISCLOSURE_PROFILES.
 */
export const BUILT_IN_PROFILES: readonly DisclosureProfile[] = [
  {
    id: 'none',
    name: 'No disclosure profile',
    source_url: 'https://iptc.org/standards/photo-metadata/iptc-standard/',
    checked_at: '2026-12-04',
    // Nothing visible; material outputs still carry the machine-readable XMP mark and an original page.
    material: { burn_label: null, marks_forbidden: false, label: null, caption: null, remarks: null, original: 'none', qr_allowed: true },
  },
  {
    id: 'ca-ab723',
    name: 'California AB 723 (Business and Professions Code §10140.8)',
    source_url: 'https://leginfo.legislature.ca.gov/faces/codes_displaySection.xhtml?lawCode=BPC&sectionNum=10140.8',
    checked_at: '2026-12-04',
    // A conspicuous statement on or next to the image, and a link or QR code to the original.
    material: {
      burn_label: { text: 'Digitally altered image', placement: 'bottom-start', size: 0.032 },
      marks_forbidden: false,
      label: 'Digitally altered image',
      caption: 'This photo was digitally altered (virtually staged). The original photo is linked.',
      remarks: null,
      original: 'link',
      qr_allowed: true,
    },
  },
  {
    id: 'crmls',
    name: 'CRMLS Rule 11.5.2',
    source_url: 'https://go.crmls.org/rules-and-regulations/',
    checked_at: '2026-12-04',
    // The original immediately before or after the altered photo, and a label in the description.
    material: { burn_label: null, marks_forbidden: false, label: VIRTUALLY_STAGED, caption: 'Virtually staged. The original photo is shown next to this one.', remarks: null, original: 'adjacent', qr_allowed: true },
  },
  {
    id: 'stellar',
    name: 'Stellar MLS Rule 04.04',
    source_url: 'https://www.stellarmls.com/rules',
    checked_at: '2026-12-04',
    // "Virtually staged" in the description, remarks that begin with a set sentence, no words on photos.
    material: {
      burn_label: null,
      marks_forbidden: true,
      label: VIRTUALLY_STAGED,
      caption: 'Virtually staged',
      remarks: 'One or more photo(s) was virtually staged.',
      original: 'none',
      qr_allowed: false,
    },
  },
  {
    id: 'smartmls',
    name: 'SmartMLS virtual staging rule',
    source_url: 'https://www.smartmls.com/rules-regulations',
    checked_at: '2026-12-04',
    // A watermark on the image; the original is not required.
    material: { burn_label: { text: VIRTUALLY_STAGED, placement: 'bottom-end', size: 0.035 }, marks_forbidden: false, label: VIRTUALLY_STAGED, caption: null, remarks: null, original: 'none', qr_allowed: true },
  },
  {
    id: 'mls-now',
    name: 'MLS Now photo rules',
    source_url: 'https://www.mlsnow.com/rules-regulations',
    checked_at: '2026-12-04',
    // No watermarks and no QR codes on photos: the disclosure goes in the caption.
    material: { burn_label: null, marks_forbidden: true, label: VIRTUALLY_STAGED, caption: 'Virtually staged', remarks: null, original: 'none', qr_allowed: false },
  },
  {
    id: 'bright',
    name: 'Bright MLS virtual staging rule',
    source_url: 'https://www.brightmls.com/rules',
    checked_at: '2026-12-04',
    // A "Virtually Staged" caption or label.
    material: { burn_label: null, marks_forbidden: false, label: 'Virtually Staged', caption: 'Virtually Staged', remarks: null, original: 'none', qr_allowed: true },
  },
  {
    id: 'nwmls',
    name: 'NWMLS virtual staging rule',
    source_url: 'https://www.nwmls.com/rules-regulations',
    checked_at: '2026-12-04',
    material: { burn_label: null, marks_forbidden: false, label: 'Virtually Staged', caption: 'Virtually Staged', remarks: null, original: 'none', qr_allowed: true },
  },
  {
    id: 'eu-ai-act',
    name: 'EU AI Act, Article 50 (machine-readable marking)',
    source_url: 'https://eur-lex.europa.eu/eli/reg/2024/1689/oj',
    checked_at: '2026-12-04',
    // The XMP digital source type is the marking; a visible note is good practice.
    material: { burn_label: null, marks_forbidden: false, label: 'AI-generated content', caption: 'This image was altered with AI.', remarks: null, original: 'none', qr_allowed: true },
  },
];

export const DEFAULT_DISCLOSURE_PROFILE = 'none';

/** The profiles a BFF offers: the built-in ones, replaced or added to by the host's file. */
export class DisclosureProfiles {
  private readonly byId: Map<string, DisclosureProfile>;
  readonly defaultId: string;

  constructor(extra: readonly DisclosureProfile[] = [], defaultId = DEFAULT_DISCLOSURE_PROFILE) {
    this.byId = new Map([...BUILT_IN_PROFILES, ...extra].map((p) => [p.id, p]));
    if (!this.byId.has(defaultId)) throw new Error(`unknown disclosure profile "${defaultId}"; known: ${this.ids().join(', ')}`);
    this.defaultId = defaultId;
  }

  ids(): string[] {
    return [...this.byId.keys()];
  }

  has(id: string): boolean {
    return this.byId.has(id);
  }

  /** The profile; an id no longer offered (a profile removed after a job started) falls back to the default. */
  get(id: string | null | undefined): DisclosureProfile {
    return this.byId.get(id ?? this.defaultId) ?? this.byId.get(this.defaultId)!;
  }
}

/** Reads STAGING_DISCLOSURE_PROFILES: a JSON array of profiles. Throws a plain sentence naming what is wrong. */
export function readProfilesFile(path: string): DisclosureProfile[] {
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(path, 'utf8'));
  } catch (err) {
    throw new Error(`cannot be read as JSON (${err instanceof Error ? err.message : String(err)})`, { cause: err });
  }
  const parsed = z.array(DisclosureProfile).min(1).safeParse(raw);
  if (!parsed.success) {
    const first = parsed.error.issues[0]!;
    throw new Error(`is not a list of disclosure profiles: ${first.path.join('.') || '(root)'}: ${first.message}`);
  }
  const seen = new Set<string>();
  for (const p of parsed.data) {
    if (seen.has(p.id)) throw new Error(`names profile "${p.id}" twice`);
    seen.add(p.id);
  }
  return parsed.data;
}
