/**
 * The GraphiQL page's script: GraphiQL with the "Upstream calls" panel,
 * configured by the JSON the server put in the page. Bundled with everything
 * it needs (scripts/build-graphiql.ts), so the page works without internet.
 */
import 'graphiql/style.css';
import './upstream-calls.css';
import { createGraphiQLFetcher } from '@graphiql/toolkit';
import { GraphiQL, HISTORY_PLUGIN } from 'graphiql';
import { createRoot } from 'react-dom/client';
import { OPTIONS_ELEMENT_ID, type GraphiQLPageOptions } from '../page-options.js';
import { upstreamCallsPlugin } from './upstream-calls.js';
import { traceUpstreamCalls, UpstreamCallsStore } from './upstream-calls-store.js';

const options = JSON.parse(document.getElementById(OPTIONS_ELEMENT_ID)!.textContent!) as GraphiQLPageOptions;

// Monaco runs its language services in workers, served beside this script.
(globalThis as { MonacoEnvironment?: unknown }).MonacoEnvironment = {
  getWorker: (_moduleId: string, label: string) => new Worker(label === 'json' || label === 'graphql' ? options.workers[label] : options.workers.editor),
};

const store = new UpstreamCallsStore();
const upstreamCalls = upstreamCallsPlugin(store);
const fetcher = traceUpstreamCalls(createGraphiQLFetcher({ url: location.pathname, headers: { ...options.headers } }), store);

createRoot(document.getElementById('graphiql')!).render(
  <GraphiQL
    fetcher={fetcher}
    defaultQuery={options.tabs[0]}
    defaultTabs={options.tabs.map((query) => ({ query }))}
    plugins={options.upstreamTrace ? [HISTORY_PLUGIN, upstreamCalls] : [HISTORY_PLUGIN]}
    // Open on the panel unless the person last had another one open.
    {...(options.upstreamTrace ? { visiblePlugin: upstreamCalls } : {})}
  >
    <GraphiQL.Logo>{options.title}</GraphiQL.Logo>
  </GraphiQL>,
);
