import { formatNumber, msg, str } from '../shared/locale.js';

/** What `<staging-before-after>` says, in one place, read at render time in its locale. */
export const TEXT = {
  get beforeAlt() { return msg('Original photo', { id: 'compare.beforeAlt' }); },
  get afterAlt() { return msg('Staged result', { id: 'compare.afterAlt' }); },
  localPreviewAlt: (alt: string) => msg(str`${alt} (local preview)`, { id: 'compare.localPreviewAlt' }),
  get zoomedLabel() { return msg('Zoomed comparison; arrow keys pan', { id: 'compare.zoomedLabel' }); },
  get before() { return msg('Before', { id: 'compare.before' }); },
  get after() { return msg('After', { id: 'compare.after' }); },
  get localPreview() { return msg('Local preview', { id: 'compare.localPreview' }); },
  get localPreviewTitle() { return msg('The local engine could not run this service; this is a graded preview, not the final result.', { id: 'compare.localPreviewTitle' }); },
  get divider() { return msg('Before and after divider', { id: 'compare.divider' }); },
  dividerValue: (before: number) =>
    msg(str`${formatNumber(before / 100, { style: 'percent' })} before, ${formatNumber((100 - before) / 100, { style: 'percent' })} after`, { id: 'compare.dividerValue' }),
  get changesLegend() { return msg('Orange marks what the result changed in your photo.', { id: 'compare.changesLegend' }); },
  get zoom() { return msg('Zoom', { id: 'compare.zoom' }); },
  get zoomOut() { return msg('Zoom out', { id: 'compare.zoomOut' }); },
  get zoomIn() { return msg('Zoom in', { id: 'compare.zoomIn' }); },
  get zoomInTitle() { return msg('Zoom in (Ctrl + wheel)', { id: 'compare.zoomInTitle' }); },
  zoomValue: (zoom: number) => formatNumber(zoom, { style: 'percent' }),
  get pan() { return msg('Pan', { id: 'compare.pan' }); },
  get panTitle() { return msg('Drag to pan (or hold Shift)', { id: 'compare.panTitle' }); },
  get resetZoom() { return msg('Reset zoom', { id: 'compare.resetZoom' }); },
  get whatChanged() { return msg('What changed', { id: 'compare.whatChanged' }); },
  get whatChangedTitle() { return msg('Mark what the result changed in your photo', { id: 'compare.whatChangedTitle' }); },
  get downloading() { return msg('Downloading…', { id: 'compare.downloading' }); },
  get download() { return msg('Download', { id: 'compare.download' }); },
  get use() { return msg('Use this image', { id: 'compare.use' }); },
  get variants() { return msg('Variants', { id: 'compare.variants' }); },
  variant: (n: number) => msg(str`Variant ${formatNumber(n)}`, { id: 'compare.variant' }),
  get localPreviewMark() { return msg(' (local preview)', { id: 'compare.localPreviewMark' }); },
};
