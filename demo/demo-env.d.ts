/** The BFF URL that `npm start` injects into the demo pages. */
declare const __STAGING_DEMO_BFF__: string;
