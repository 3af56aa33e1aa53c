import type { TokenClaims } from '../../contract/index.js';
import type { SessionRecord } from '../store/types.js';

export interface WidgetAuth {
  claims: TokenClaims;
  session: SessionRecord;
}

/** Hono's typed context variables for every BFF route. */
export interface BffEnv {
  Variables: {
    requestId: string;
    auth: WidgetAuth;
  };
}
