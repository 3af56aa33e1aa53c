/** The words of the original's public page, in one place (ready for localisation). */
const TEXT = {
  title: 'Original photo',
  heading: 'The original photo, and how it was altered',
  intro: 'A listing showed a digitally altered version of this photo (for example, virtually staged). Here is the original, unaltered photo, with the altered version next to it.',
  original: 'Original photo (unaltered)',
  originalAlt: 'The original, unaltered photo.',
  altered: 'Digitally altered version',
  alteredAlt: 'The digitally altered version of the photo.',
  published: (date: string) => `Published for the listing on ${date}.`,
  withdrawnTitle: 'Page withdrawn',
  withdrawn: 'The site that published this photo has withdrawn this page.',
  missingTitle: 'Page not found',
  missing: 'There is no original photo at this address. Check the link, or ask the site that showed you the listing.',
};

const escapeHtml = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

const STYLE = `
:root { color-scheme: light dark; --fg: #1b1f24; --muted: #4b5563; --bg: #ffffff; --card: #f3f4f6; --accent: #0b5cad; }
@media (prefers-color-scheme: dark) { :root { --fg: #f3f4f6; --muted: #c2c8d0; --bg: #111418; --card: #1c2128; --accent: #7cb7ff; } }
* { box-sizing: border-box; }
body { margin: 0; font: 16px/1.5 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; color: var(--fg); background: var(--bg); }
main { max-inline-size: 1200px; margin-inline: auto; padding: 24px 16px 48px; }
h1 { font-size: 1.5rem; line-height: 1.25; margin: 0 0 8px; }
p { margin: 0 0 16px; color: var(--muted); max-inline-size: 70ch; }
.pair { display: grid; grid-template-columns: repeat(auto-fit, minmax(280px, 1fr)); gap: 16px; margin-block-start: 16px; }
figure { margin: 0; background: var(--card); border-radius: 12px; overflow: hidden; }
figure.original { outline: 3px solid var(--accent); outline-offset: -3px; }
img { display: block; inline-size: 100%; block-size: auto; }
figcaption { padding: 10px 14px; font-weight: 600; }
.note { margin-block-start: 16px; font-size: 0.9rem; }
.badge { display: inline-block; margin-inline-end: 8px; padding: 1px 8px; border-radius: 999px; background: var(--accent); color: var(--bg); font-size: 0.8rem; font-weight: 700; }
`;

function shell(title: string, body: string): string {
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="robots" content="noindex">
<title>${escapeHtml(title)}</title>
<style>${STYLE}</style>
</head>
<body>
<main>
${body}
</main>
</body>
</html>
`;
}

export interface OriginalPageView {
  originalUrl: string;
  alteredUrl: string;
  original: { width: number; height: number };
  altered: { width: number; height: number };
  createdAt: string;
}

/** The page: the original first and marked as such, the altered version beside it. No script. */
export function originalPageHtml(v: OriginalPageView): string {
  const date = v.createdAt.slice(0, 10);
  return shell(
    TEXT.title,
    `<h1>${escapeHtml(TEXT.heading)}</h1>
<p>${escapeHtml(TEXT.intro)}</p>
<div class="pair">
<figure class="original">
<img src="${escapeHtml(v.originalUrl)}" width="${v.original.width}" height="${v.original.height}" alt="${escapeHtml(TEXT.originalAlt)}">
<figcaption><span class="badge">Original</span>${escapeHtml(TEXT.original)}</figcaption>
</figure>
<figure>
<img src="${escapeHtml(v.alteredUrl)}" width="${v.altered.width}" height="${v.altered.height}" alt="${escapeHtml(TEXT.alteredAlt)}" loading="lazy">
<figcaption>${escapeHtml(TEXT.altered)}</figcaption>
</figure>
</div>
<p class="note">${escapeHtml(TEXT.published(date))}</p>`,
  );
}

/** What a withdrawn (or unknown) page shows instead. */
export function withdrawnPageHtml(kind: 'withdrawn' | 'missing' = 'withdrawn'): string {
  return kind === 'withdrawn'
    ? shell(TEXT.withdrawnTitle, `<h1>${TEXT.withdrawnTitle}</h1>\n<p>${TEXT.withdrawn}</p>`)
    : shell(TEXT.missingTitle, `<h1>${TEXT.missingTitle}</h1>\n<p>${TEXT.missing}</p>`);
}
