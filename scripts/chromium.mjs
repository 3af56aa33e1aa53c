// Debian's Chromium and the flags it needs here: headless as root in a sandboxed machine with no
// network beyond the package registries (background networking would only produce refused
// connections). Shared by the browser test runner and the strict-CSP test.
export const CHROMIUM_PATH = process.env.CHROME_PATH || '/usr/bin/chromium';

export const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--disable-dev-shm-usage',
];
