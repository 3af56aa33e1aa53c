#!/usr/bin/env node
// The installed `staging-bff` command: runs the TypeScript CLI through tsx (a runtime dependency).
import { register } from 'tsx/esm/api';
register();
await import('../src/server/cli.ts');
