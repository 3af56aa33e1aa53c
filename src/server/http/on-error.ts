import type { Context, ErrorHandler, NotFoundHandler } from 'hono';
import { HTTPException } from 'hono/http-exception';
import { ApiError } from '../errors.js';
import type { Logger } from '../logger.js';
import { ProviderJobError } from '../providers/types.js';
import type { BffEnv } from './env.js';

export function errorResponse(c: Context<BffEnv>, err: ApiError): Response {
  for (const [k, v] of Object.entries(err.headers)) c.header(k, v);
  c.header('Cache-Control', 'no-store');
  return c.json(
    { error: { code: err.code, message: err.message, request_id: c.get('requestId'), ...err.details } },
    err.status as 400,
  );
}

/** The one place that turns any thrown error into the one documented error shape. */
export function onError(logger: Logger): ErrorHandler<BffEnv> {
  return (err, c) => {
    if (err instanceof ApiError) return errorResponse(c, err);
    // A provider failure outside a job (loading the catalog, the account, readiness): the
    // provider's fault is a 502/503 in the one error shape, its message naming the provider.
    if (err instanceof ProviderJobError) return errorResponse(c, apiErrorOfProvider(err));
    if (err instanceof HTTPException && err.status === 413) {
      return errorResponse(c, new ApiError('payload_too_large', 'The request body is too large.'));
    }
    if (err instanceof HTTPException && err.status < 500) {
      return errorResponse(c, new ApiError('invalid_request', 'The request could not be processed.'));
    }
    logger.error('unhandled error', { request_id: c.get('requestId'), path: c.req.path, error: err instanceof Error ? err.message : String(err) });
    return errorResponse(c, new ApiError('internal_error', 'Something went wrong on the server. Try again; if it keeps happening, quote the request id.'));
  };
}

/** The API error for a provider's failure: its rejected key is ours to fix (500), anything else is the provider's (502, or 503 when retrying may help). */
export function apiErrorOfProvider(err: ProviderJobError): ApiError {
  const code = err.code === 'server_misconfigured' ? 'server_misconfigured' : err.retryable ? 'provider_unavailable' : 'provider_error';
  return new ApiError(code, err.message);
}

export const notFound: NotFoundHandler<BffEnv> = (c) =>
  errorResponse(c, new ApiError('not_found', `There is no ${c.req.method} ${c.req.path} route in API v1.`));
