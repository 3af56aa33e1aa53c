/**
 * The service ids of a `services` attribute, a comma-separated list (`"upscale, design-options"`):
 * trimmed, empty entries dropped. Undefined without the attribute (`null`).
 */
export function parseServiceList(value: string | null): string[] | undefined {
  return value === null ? undefined : value.split(',').map((s) => s.trim()).filter(Boolean);
}
