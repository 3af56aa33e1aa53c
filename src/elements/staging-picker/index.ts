export {
  StagingPicker,
  type StagingPickerValue,
  type PickerValue,
  type StagingSelectionChangeDetail,
  type StagingSubmitDetail,
} from './staging-picker.js';
export type { StagingErrorDetail } from '../shared/error-event.js';
