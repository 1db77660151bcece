import type { AssetManifest } from './assets.js';
import { OPTIONS_ELEMENT_ID, type GraphiQLPageOptions } from './page-options.js';

/**
 * The GraphiQL page: a few kB of HTML that loads the built script and
 * stylesheet from `assetsPath` and carries its options as JSON. It is built
 * once per process (use-graphiql.ts); everything heavy is in the assets.
 */
export function renderGraphiQLPage(
  options: Omit<GraphiQLPageOptions, 'workers'>,
  manifest: AssetManifest,
  assetsPath: string,
): string {
  const pageOptions: GraphiQLPageOptions = {
    ...options,
    workers: {
      editor: `${assetsPath}${manifest.workers.editor}`,
      json: `${assetsPath}${manifest.workers.json}`,
      graphql: `${assetsPath}${manifest.workers.graphql}`,
    },
  };
  return `<!doctype html>
<html lang="en">
  <head>
    <meta charset="utf-8">
    <meta name="viewport" content="width=device-width, initial-scale=1">
    <title>${escapeHtml(options.title)}</title>
    <link rel="icon" href="data:,">
    <link rel="stylesheet" href="${assetsPath}${manifest.style}">
    <style>html, body, #graphiql { height: 100%; margin: 0; }</style>
    <script id="${OPTIONS_ELEMENT_ID}" type="application/json">${scriptSafeJson(pageOptions)}</script>
    <script defer src="${assetsPath}${manifest.script}"></script>
  </head>
  <body>
    <noscript>GraphiQL needs JavaScript.</noscript>
    <div id="graphiql"></div>
  </body>
</html>
`;
}

/** JSON inside a <script> element: an operator's query text must not be able to close it (`</script>`) or open a comment. */
function scriptSafeJson(value: unknown): string {
  return JSON.stringify(value).replace(/</g, '\\u003c');
}

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (char) => `&#${char.charCodeAt(0)};`);
}
