export interface UploadProgress {
  loaded: number;
  total: number;
}

export interface UploadRequest {
  method: string;
  headers: Record<string, string>;
  body: Blob;
  signal?: AbortSignal;
  onProgress?: (p: UploadProgress) => void;
}

/** Sends a body and answers like fetch: a Response, a TypeError when no answer came, the signal's reason when aborted. */
export type UploadTransport = (url: string, req: UploadRequest) => Promise<Response>;

const NULL_BODY_STATUS = new Set([204, 205, 304]);

/**
 * fetch() reports no upload progress in browsers, XMLHttpRequest does. Wrapping XHR in
 * fetch's shape lets uploads share the client's error mapping, retries and token renewal.
 */
export const xhrTransport: UploadTransport = (url, req) =>
  new Promise((resolve, reject) => {
    const { signal } = req;
    if (signal?.aborted) return reject(signal.reason);
    const xhr = new XMLHttpRequest();
    xhr.open(req.method, url);
    for (const [name, value] of Object.entries(req.headers)) xhr.setRequestHeader(name, value);
    if (req.onProgress) {
      const onProgress = req.onProgress;
      xhr.upload.onprogress = (e) => onProgress({ loaded: e.loaded, total: e.lengthComputable ? e.total : req.body.size });
    }
    const onAbort = () => xhr.abort();
    signal?.addEventListener('abort', onAbort, { once: true });
    const settle = () => signal?.removeEventListener('abort', onAbort);
    xhr.onload = () => {
      settle();
      const headers = new Headers();
      for (const line of xhr.getAllResponseHeaders().split('\r\n')) {
        const colon = line.indexOf(':');
        if (colon > 0) headers.append(line.slice(0, colon).trim(), line.slice(colon + 1).trim());
      }
      try {
        const body = NULL_BODY_STATUS.has(xhr.status) ? null : xhr.responseText;
        resolve(new Response(body, { status: xhr.status, statusText: xhr.statusText, headers }));
      } catch (e) {
        // Response() refuses statuses outside 200-599; no HTTP answer we can use arrived.
        reject(new TypeError(`Unusable response status ${xhr.status}`, { cause: e }));
      }
    };
    xhr.onerror = () => {
      settle();
      reject(new TypeError('Network request failed'));
    };
    xhr.onabort = () => {
      settle();
      reject(signal?.reason ?? new DOMException('Aborted', 'AbortError'));
    };
    xhr.send(req.body);
  });
