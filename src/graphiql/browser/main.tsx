/**
 * The GraphiQL page's script: GraphiQL, configured by the JSON the server put in the page. Bundled with everything
 * it needs (scripts/build-graphiql.ts), so the page works without internet.
 */
import 'graphiql/style.css';
import { createGraphiQLFetcher } from '@graphiql/toolkit';
import { GraphiQL } from 'graphiql';
import { createRoot } from 'react-dom/client';
import { OPTIONS_ELEMENT_ID, type GraphiQLPageOptions } from '../page-options.js';

const options = JSON.parse(document.getElementById(OPTIONS_ELEMENT_ID)!.textContent!) as GraphiQLPageOptions;

// Monaco runs its language services in workers, served beside this script.
(globalThis as { MonacoEnvironment?: unknown }).MonacoEnvironment = {
  getWorker: (_moduleId: string, label: string) => new Worker(label === 'json' || label === 'graphql' ? options.workers[label] : options.workers.editor),
};

const fetcher = createGraphiQLFetcher({ url: location.pathname, headers: { ...options.headers } });

document.title = options.title;
createRoot(document.getElementById('graphiql')!).render(
  <GraphiQL
    fetcher={fetcher}
    defaultQuery={options.tabs[0]}
    defaultTabs={options.tabs.map((query) => ({ query }))}
  >
    <GraphiQL.Logo>{options.title}</GraphiQL.Logo>
  </GraphiQL>,
);
