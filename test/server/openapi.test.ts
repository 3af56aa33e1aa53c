import { Validator } from '@seriousme/openapi-schema-validator';
import { describe, expect, it } from 'vitest';
import { buildOpenApi } from '../../src/server/openapi.js';
import { makeBff, req } from './helpers.js';
import { routeTemplate } from './support/openapi-check.js';

/** `/v1/jobs/:id` → `/v1/jobs/{id}`, as OpenAPI writes path parameters. */
const toTemplate = (honoPath: string) => honoPath.replace(/:([A-Za-z_]+)/g, '{$1}');

describe('the OpenAPI document', () => {
  it('is a valid OpenAPI 3.1 document (checked by a maintained validator)', async () => {
    const result = await new Validator().validate(buildOpenApi('https://staging.example.com'));
    expect(result.errors ?? []).toEqual([]);
    expect(result.valid).toBe(true);
  });

  it('the validator does refuse a broken document, so the check above can fail', async () => {
    const doc = buildOpenApi();
    (doc.paths['/v1/jobs'] as Record<string, unknown>).get = { responses: 'none' };
    expect((await new Validator().validate(doc as never)).valid).toBe(false);
  });

  it('describes every route of the app, and no route the app lacks', () => {
    const bff = makeBff();
    const appRoutes = new Set(
      bff.app.routes.filter((r) => r.method !== 'ALL' && r.method !== 'OPTIONS').map((r) => `${r.method.toLowerCase()} ${toTemplate(r.path)}`),
    );
    const doc = buildOpenApi();
    const documented = new Set(Object.entries(doc.paths).flatMap(([path, ops]) => Object.keys(ops).map((m) => `${m} ${path}`)));
    expect([...appRoutes].filter((r) => !documented.has(r)), 'routes of the app missing from the document').toEqual([]);
    expect([...documented].filter((r) => !appRoutes.has(r)), 'documented routes the app does not have').toEqual([]);
    // Every operation says who may call it and how it fails.
    for (const [path, ops] of Object.entries(doc.paths)) {
      for (const [method, op] of Object.entries(ops as Record<string, { security?: unknown; responses: Record<string, unknown> }>)) {
        expect(op.security, `${method} ${path}`).toBeDefined();
        expect(Object.keys(op.responses).length, `${method} ${path}`).toBeGreaterThan(0);
      }
    }
  });

  it('maps concrete paths to their templates, literal paths first', () => {
    expect(routeTemplate('/v1/jobs/job_abc/events')).toBe('/v1/jobs/{id}/events');
    expect(routeTemplate('/v1/dev/sessions')).toBe('/v1/dev/sessions');
    expect(routeTemplate('/v1/nothing')).toBeNull();
  });

  it('is served at GET /v1/openapi.json without a token, with the public URL as its server', async () => {
    const bff = makeBff();
    const res = await req(bff, '/v1/openapi.json', { origin: null });
    expect(res.status).toBe(200);
    expect(res.headers.get('cache-control')).toContain('public');
    const doc = (await res.json()) as { openapi: string; servers: { url: string }[]; paths: Record<string, unknown> };
    expect(doc.openapi).toBe('3.1.0');
    expect(doc.servers[0]!.url).toBe('http://bff.test');
    expect(Object.keys(doc.paths)).toContain('/v1/jobs/{id}/retry');
    expect(doc).toEqual(JSON.parse(JSON.stringify(buildOpenApi('http://bff.test'))));
  });
});
