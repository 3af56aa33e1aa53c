export {
  createInteriorRedesignProvider,
  INTERIOR_REDESIGN_NAME,
  INTERIOR_REDESIGN_OUTPUT_HOSTS,
  type InteriorRedesignHealth,
  type InteriorRedesignProvider,
} from './interior-redesign-provider.js';
export { interiorRedesignServices } from './catalog.js';
