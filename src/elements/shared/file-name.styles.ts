import { css } from 'lit';

/** `.file-name`: a chosen file's name on one line, cut with an ellipsis (the full name goes in `title`). */
export const fileNameStyles = css`
  .file-name {
    font-weight: 600;
    overflow: hidden;
    text-overflow: ellipsis;
    white-space: nowrap;
  }
`;
