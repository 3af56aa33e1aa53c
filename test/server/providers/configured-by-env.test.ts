import { describe, expect, it } from 'vitest';
import { Catalog } from '../../../src/contract/index.js';
import { createStagingBff, loadConfig } from '../../../src/server/index.js';
import { startFakeInteriorRedesign } from '../../fakes/interior-redesign.js';
import { startFakeLamina } from '../../fakes/lamina.js';
import { startFakeLumaAgents } from '../../fakes/luma-agents.js';
import { startFakeLumely } from '../../fakes/lumely.js';
import { startFakeRoomStack } from '../../fakes/roomstack.js';
import { afterThisTest, tempDir } from '../temp-dir.js';

const KEY = 'provider-key-0123456789abcdef';

/** Each fake with one valid key, started as a host would point STAGING_PROVIDER_URL at it. */
const fakes: Record<string, () => Promise<{ url: string; close(): Promise<void> }>> = {
  lumely: () => startFakeLumely({ apiKeys: [KEY] }),
  roomstack: () => startFakeRoomStack({ apiKey: KEY }),
  'interior-redesign': () => startFakeInteriorRedesign({ apiKeys: [KEY] }),
  'luma-agents': () => startFakeLumaAgents({ apiKeys: [KEY] }),
  lamina: () => startFakeLamina({ apiKey: KEY }),
};

describe('STAGING_PROVIDER switches the BFF to a provider with nothing else changed', () => {
  for (const [name, start] of Object.entries(fakes)) {
    it(`${name}: built from the environment, serving its catalog through API v1`, async () => {
      const fake = await start();
      afterThisTest(() => fake.close());
      const config = loadConfig({
        STAGING_PROVIDER: name,
        STAGING_PROVIDER_URL: fake.url,
        STAGING_PROVIDER_KEY: KEY,
        STAGING_TOKEN_SECRET: 'x'.repeat(40),
        STAGING_ALLOWED_ORIGINS: 'https://listings.example.com',
        STAGING_ADMIN_KEY: 'admin-key-0123456789',
        STAGING_STORE: 'memory',
        STAGING_DATA_DIR: tempDir(),
      });
      const bff = createStagingBff(config);
      afterThisTest(() => bff.close());
      const minted = await bff.app.request('http://bff.test/v1/sessions', {
        method: 'POST',
        headers: { Authorization: 'Bearer admin-key-0123456789', 'Content-Type': 'application/json' },
        body: JSON.stringify({ subject: 'agent-1' }),
      });
      const { token } = (await minted.json()) as { token: string };
      const res = await bff.app.request('http://bff.test/v1/services', { headers: { Authorization: `Bearer ${token}` } });
      expect(res.status).toBe(200);
      const catalog = Catalog.parse(await res.json());
      expect(catalog.provider).toBe(name);
      expect(catalog.services.length).toBeGreaterThan(0);
      expect(catalog.services.every((s) => s.preview_only === false)).toBe(true);
      expect(JSON.stringify(catalog)).not.toContain(KEY);
    });
  }
});
