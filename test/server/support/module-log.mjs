// Preloaded with `node --import` by tests that need to know which modules a process loaded:
// registers module-log-hooks.mjs, which appends every resolved module URL to the file named by
// STAGING_TEST_MODULE_LOG.
import { register } from 'node:module';

if (process.env.STAGING_TEST_MODULE_LOG) {
  register('./module-log-hooks.mjs', import.meta.url, { data: { file: process.env.STAGING_TEST_MODULE_LOG } });
}
