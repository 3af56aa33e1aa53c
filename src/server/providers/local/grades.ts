/**
 * Colour grades of the local engine: one per config, nudged by the job's scene options, and
 * per-variant looks for design options. A grade is a handful of photographic controls that
 * map onto three sharp operations (see `pipelines.ts#applyGrade`), so that every value here
 * is a real pixel change and stays modest.
 */
export interface Grade {
  /** −1 cool … +1 warm: red gain up, blue gain down (about ±7 % at the ends). */
  warmth: number;
  /** −1 magenta … +1 green. */
  tint: number;
  /** Multiplier of luminance (sharp `modulate`), 1 = unchanged. */
  brightness: number;
  /** Multiplier of chroma, 1 = unchanged. */
  saturation: number;
  /** Slope around mid-grey, 1 = unchanged. */
  contrast: number;
  /** Raises the black point as a fraction of full scale (a matte "fade"), 0 = none. */
  lift: number;
  /** Hue rotation in degrees. */
  hue: number;
}

export const NEUTRAL_GRADE: Readonly<Grade> = Object.freeze({
  warmth: 0,
  tint: 0,
  brightness: 1,
  saturation: 1,
  contrast: 1,
  lift: 0,
  hue: 0,
});

/** Additive controls add, multiplicative controls multiply, so grades stack like adjustment layers. */
export function combineGrades(...grades: Array<Partial<Grade> | undefined>): Grade {
  const out: Grade = { ...NEUTRAL_GRADE };
  for (const g of grades) {
    if (!g) continue;
    out.warmth += g.warmth ?? 0;
    out.tint += g.tint ?? 0;
    out.brightness *= g.brightness ?? 1;
    out.saturation *= g.saturation ?? 1;
    out.contrast *= g.contrast ?? 1;
    out.lift += g.lift ?? 0;
    out.hue += g.hue ?? 0;
  }
  // Stacked options must never push a photo into a caricature.
  out.warmth = clamp(out.warmth, -1, 1);
  out.tint = clamp(out.tint, -1, 1);
  out.brightness = clamp(out.brightness, 0.8, 1.2);
  out.saturation = clamp(out.saturation, 0.6, 1.35);
  out.contrast = clamp(out.contrast, 0.8, 1.25);
  out.lift = clamp(out.lift, 0, 0.08);
  out.hue = clamp(out.hue, -15, 15);
  return out;
}

export function isNeutral(g: Grade): boolean {
  return (Object.keys(NEUTRAL_GRADE) as Array<keyof Grade>).every((k) => Math.abs(g[k] - NEUTRAL_GRADE[k]) < 1e-6);
}

const clamp = (v: number, lo: number, hi: number) => Math.min(hi, Math.max(lo, v));

/** Keyed by `service/config`; a config id shared by services (design options) falls back to `*\/config`. */
const CONFIG_GRADES: Record<string, Partial<Grade>> = {
  // Render enhancement and design options share the architectural configs.
  '*/exterior-modern': { warmth: -0.15, saturation: 1.06, contrast: 1.08, brightness: 1.02 },
  '*/exterior-traditional': { warmth: 0.25, saturation: 1.04, contrast: 1.03 },
  '*/interior-modern': { warmth: 0.05, brightness: 1.04, contrast: 1.05, saturation: 1.02 },
  '*/interior-traditional': { warmth: 0.3, saturation: 1.08, contrast: 1.04, brightness: 1.01 },
  '*/interior-minimalist': { warmth: -0.05, brightness: 1.06, saturation: 0.9, contrast: 0.97, lift: 0.015 },
  '*/landscape': { tint: 0.15, saturation: 1.15, contrast: 1.06 },
  '*/aerial': { warmth: -0.05, contrast: 1.1, saturation: 1.08, brightness: 0.99 },
  // Virtual staging: the mood a stager would light each room for.
  'virtual-staging/living-room': { warmth: 0.25, brightness: 1.03, saturation: 1.04 },
  'virtual-staging/bedroom': { warmth: 0.3, contrast: 0.96, lift: 0.01, saturation: 0.97 },
  'virtual-staging/kitchen': { warmth: -0.05, brightness: 1.05, contrast: 1.05 },
  'virtual-staging/dining-room': { warmth: 0.35, saturation: 1.06, contrast: 1.04 },
  'virtual-staging/office': { warmth: -0.15, contrast: 1.06, saturation: 0.97 },
  'virtual-staging/bathroom': { warmth: -0.2, brightness: 1.06, saturation: 0.95 },
  // 3D plans.
  '3d-plans/residential': { warmth: 0.2, brightness: 1.03 },
  '3d-plans/commercial': { warmth: -0.15, contrast: 1.08, saturation: 1.05 },
  '3d-plans/office': { warmth: -0.1, brightness: 1.04, saturation: 0.95 },
};

/**
 * Scene options that plausibly change colour and light. The others (crowd, camera, flooring,
 * landscaping) describe content the local engine cannot create, so they do not touch the grade.
 */
const OPTION_GRADES: Record<string, Record<string, Partial<Grade>>> = {
  lighting: {
    natural: {},
    warm: { warmth: 0.45, brightness: 1.02 },
    cool: { warmth: -0.45 },
    bright: { brightness: 1.08, contrast: 0.97, lift: 0.01 },
    dramatic: { contrast: 1.12, brightness: 0.96, saturation: 1.05 },
    'golden-hour': { warmth: 0.7, saturation: 1.08, tint: -0.1 },
    dusk: { warmth: -0.3, brightness: 0.93, saturation: 0.95, tint: -0.15 },
  },
  weather: {
    sunny: { warmth: 0.15, saturation: 1.05, brightness: 1.02 },
    'partly-cloudy': {},
    overcast: { warmth: -0.15, saturation: 0.9, contrast: 0.95 },
    rainy: { warmth: -0.25, saturation: 0.85, brightness: 0.95 },
    snowy: { warmth: -0.3, saturation: 0.85, brightness: 1.05 },
    foggy: { contrast: 0.88, saturation: 0.85, lift: 0.03 },
  },
  season: {
    spring: { tint: 0.1, saturation: 1.05 },
    summer: { warmth: 0.1, saturation: 1.08 },
    autumn: { warmth: 0.35, tint: -0.1, hue: -4 },
    winter: { warmth: -0.3, saturation: 0.88 },
  },
  style: {
    modern: {},
    traditional: { warmth: 0.2, saturation: 1.04 },
    minimalist: { saturation: 0.9, brightness: 1.04 },
    scandinavian: { warmth: -0.1, brightness: 1.05, saturation: 0.92, lift: 0.01 },
    industrial: { saturation: 0.85, contrast: 1.08, warmth: -0.05 },
    coastal: { warmth: -0.15, brightness: 1.04, saturation: 1.04 },
    luxury: { warmth: 0.2, contrast: 1.08, saturation: 1.05 },
  },
};

/**
 * Looks that make design-option variants visibly different. Variant 1 is the plain config
 * grade; beyond the list, looks repeat a little stronger so that no two variants coincide.
 */
const VARIANT_LOOKS: Array<Partial<Grade>> = [
  {},
  { warmth: 0.8, brightness: 1.04, saturation: 1.1 },
  { warmth: -0.8, contrast: 1.06, saturation: 0.92 },
  { contrast: 1.14, saturation: 0.78, lift: 0.03, brightness: 0.97 },
];

export function configGrade(serviceId: string, configId: string): Partial<Grade> {
  return CONFIG_GRADES[`${serviceId}/${configId}`] ?? CONFIG_GRADES[`*/${configId}`] ?? {};
}

export function optionsGrade(options: Record<string, string | number | boolean>): Partial<Grade>[] {
  const out: Partial<Grade>[] = [];
  for (const [key, value] of Object.entries(options)) {
    const g = typeof value === 'string' ? OPTION_GRADES[key]?.[value] : undefined;
    if (g) out.push(g);
  }
  return out;
}

/** 0-based variant index → look. */
export function variantLook(index: number): Partial<Grade> {
  const base = VARIANT_LOOKS[index % VARIANT_LOOKS.length] ?? {};
  const round = Math.floor(index / VARIANT_LOOKS.length);
  if (round === 0) return base;
  // Later rounds: same direction, scaled, plus a hue shift so they differ from round one.
  const k = 1 + 0.4 * round;
  return {
    warmth: (base.warmth ?? 0) * k,
    tint: (base.tint ?? 0) * k,
    brightness: 1 + ((base.brightness ?? 1) - 1) * k,
    saturation: 1 + ((base.saturation ?? 1) - 1) * k,
    contrast: 1 + ((base.contrast ?? 1) - 1) * k,
    lift: (base.lift ?? 0) * k,
    hue: 6 * round,
  };
}

/** The grade of one output: config, then scene options, then the variant's look. */
export function gradeFor(serviceId: string, configId: string, options: Record<string, string | number | boolean>, variantIndex = 0): Grade {
  return combineGrades(configGrade(serviceId, configId), ...optionsGrade(options), variantLook(variantIndex));
}
