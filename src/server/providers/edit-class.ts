import type { EditClass } from '../../contract/index.js';

/**
 * Services whose outputs are technical edits (light, colour, sharpness, straightening, size) by
 * their id, for providers whose catalog arrives at run time (Lumely's service list, Lamina's apps)
 * and so cannot be declared by hand. Anything else counts as `material`: a photo disclosed that
 * did not need it is lawful; an altered one published without disclosure is not.
 */
const TECHNICAL_SERVICE_IDS: ReadonlySet<string> = new Set(['render-enhancement', 'upscale', 'straighten', 'hdr-merge']);

export const editClassOf = (serviceId: string): EditClass => (TECHNICAL_SERVICE_IDS.has(serviceId) ? 'technical' : 'material');
