#!/usr/bin/env node
import { createStagingBff } from './app.js';
import { ConfigError, loadConfig } from './config.js';
import { listen } from './listen.js';
import { jsonLogger } from './logger.js';

/** `staging-bff` / `npm run bff`: the BFF alone, configured by the environment. */
async function main(): Promise<void> {
  let config;
  let logger;
  let bff;
  try {
    config = loadConfig(process.env);
    const secrets = [config.tokenSecret, config.adminKey, config.providerKey, config.providerWebhookSecret].filter((s): s is string => !!s);
    logger = jsonLogger(secrets);
    bff = createStagingBff({ ...config, logger });
  } catch (err) {
    // Any configuration failure, from the environment or from building the BFF with it.
    if (err instanceof ConfigError) {
      process.stderr.write(`${err.message}\n`);
      process.exit(2);
    }
    throw err;
  }
  const host = process.env.HOST ?? (config.dev ? '127.0.0.1' : '0.0.0.0');
  const server = await listen(bff, config.port, host);
  logger.info('staging BFF listening', {
    url: server.url,
    provider: config.provider,
    store: config.store.startsWith('sqlite:') || config.store === 'memory' ? config.store : '(redis)',
    dev: config.dev,
  });
  if (config.tokenSecretGenerated) logger.warn('dev mode: STAGING_TOKEN_SECRET was generated for this start; tokens end with the process');
  const recovered = await bff.ready;
  if (recovered.resumed + recovered.failed > 0) logger.info('recovered jobs', recovered);

  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info('stopping', { signal });
    await server.close();
    await bff.close();
    process.exit(0);
  };
  process.on('SIGINT', () => void stop('SIGINT'));
  process.on('SIGTERM', () => void stop('SIGTERM'));
}

void main();
