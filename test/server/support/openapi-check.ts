import { Ajv2020, type ValidateFunction } from 'ajv/dist/2020.js';
import { buildOpenApi } from '../../../src/server/openapi.js';

/**
 * Checks a BFF answer against the OpenAPI document: its status must be documented for the
 * route, and a JSON body must match that status's schema. `req()` in helpers.ts runs it on every
 * answer of the in-process API tests, so the document and the server cannot drift apart.
 */
const doc = buildOpenApi();
const ajv = new Ajv2020({ strict: false, validateSchema: false, allErrors: true });
ajv.addSchema(doc, 'openapi');

const templates = Object.keys(doc.paths).map((template) => ({
  template,
  re: new RegExp(`^${template.replace(/\{[^}]+\}/g, '[^/]+')}$`),
  literal: !template.includes('{'),
}));
const compiled = new Map<string, ValidateFunction>();
const pointer = (...parts: string[]) => parts.map((p) => p.replace(/~/g, '~0').replace(/\//g, '~1')).join('/');

/** The document's path template for a concrete path, or null for a path the API does not have. */
export function routeTemplate(path: string): string | null {
  const hits = templates.filter((t) => t.re.test(path));
  return (hits.find((t) => t.literal) ?? hits[0])?.template ?? null;
}

export async function expectDocumented(method: string, url: string, res: Response): Promise<void> {
  const path = new URL(url, 'http://x').pathname;
  const template = routeTemplate(path);
  const m = method.toLowerCase();
  const operation = template ? (doc.paths[template]![m] as { responses: Record<string, { content?: Record<string, unknown> }> } | undefined) : undefined;
  // Unknown paths and methods answer the generic 404/405, which no operation describes.
  if (!template || !operation || m === 'options') return;
  const response = operation.responses[String(res.status)];
  if (!response) {
    throw new Error(`${method} ${template} answered ${res.status}, which the OpenAPI document does not list for it: ${await res.clone().text()}`);
  }
  const type = (res.headers.get('content-type') ?? '').split(';')[0]!.trim();
  if (type !== 'application/json') return;
  if (!response.content?.['application/json']) throw new Error(`${method} ${template} ${res.status} answered JSON, which the document does not describe`);
  const key = `${m} ${template} ${res.status}`;
  let validate = compiled.get(key);
  if (!validate) {
    validate = ajv.compile({ $ref: `openapi#/${pointer('paths', template, m, 'responses', String(res.status), 'content', 'application/json', 'schema')}` });
    compiled.set(key, validate);
  }
  const body: unknown = await res.clone().json();
  if (!validate(body)) {
    throw new Error(`${method} ${template} ${res.status} does not match the OpenAPI document: ${ajv.errorsText(validate.errors)}\n${JSON.stringify(body).slice(0, 500)}`);
  }
}
