import type { GraphiQLOptions } from 'graphql-yoga';
import type { UpstreamTraceMode } from './config.js';
import { DEMO_OUTAGE, DEMO_UNLUCKY_USER_ID } from './demo/data.js';
import { TRACE_HEADER } from './trace/use-upstream-trace.js';

/** What GraphiQL opens on: a query that shows the graph's point, the dashboard. */
export const DEFAULT_QUERY = /* GraphQL */ `# One request, five REST services, fetched concurrently and batched.
# A field whose service fails comes back null; extensions.errors says why.
query Dashboard($userId: ID! = "1") {
  dashboard(userId: $userId) {
    user {
      id
      name
      email
    }
    orders {
      id
      status
      total
      createdAt
      product {
        name
        price
        stock {
          available
          warehouse
        }
      }
    }
    notifications {
      id
      message
      read
    }
  }
}
`;

/** The second tab: a failure that the default demo upstreams always produce. */
export const PARTIAL_FAILURE_QUERY = /* GraphQL */ `# Partial failure. The built-in demo notifications service always answers
# HTTP 503 for user "${DEMO_UNLUCKY_USER_ID}" (a fixture of the demo data; other users are fine).
# Run it: notifications is null, the rest is there, and
# extensions.errors says which service failed, how, and which paths it nulled.
# extensions.upstreams (the trace GraphiQL asks for) shows each REST call,
# with the retries of the failed one. Run it again at once and the circuit
# breaker opens (5 failed attempts in a row): for about 5 s every user's
# notifications answer CIRCUIT_OPEN, with no call, until one probe succeeds.
#
# More failures with the demo's knobs, e.g.
#   DEMO_ORDERS_FAIL_STATUS=500 DEMO_INVENTORY_HANG=true npm start
# (orders fail with HTTP_ERROR, stock times out with TIMEOUT), for any user.
query PartialFailure($userId: ID! = "${DEMO_UNLUCKY_USER_ID}") {
  dashboard(userId: $userId) {
    user {
      name
    }
    orders {
      id
      total
      product {
        name
        stock {
          available
        }
      }
    }
    notifications {
      id
      message
    }
  }
}
`;

/** The third tab: incremental delivery of the slow part. */
export const DEFER_QUERY = /* GraphQL */ `# @defer: the fast part of the page comes first, the deferred fragment
# follows when its service answers (one HTTP response, several parts).
# Make notifications slow to see the parts arrive apart:
#   DEMO_NOTIFICATIONS_LATENCY_MS=1000 npm start
# A failure inside the deferred part is reported in that part's
# extensions.errors, in the same shape.
query DeferredDashboard($userId: ID! = "1") {
  dashboard(userId: $userId) {
    user {
      name
    }
    orders {
      id
      status
      total
    }
    ... @defer(label: "notifications") {
      notifications {
        id
        message
        read
      }
    }
  }
}
`;

/** The fourth tab: an outage answered from the cache, and said so. */
export const STALE_QUERY = /* GraphQL */ `# A stale answer instead of a null. The demo products service answers
# product "${DEMO_OUTAGE.key}" once and then fails (HTTP 503), as if it had gone down;
# its first answer said "Cache-Control: ${DEMO_OUTAGE.cacheControl}".
# Run it once: a fresh answer, now kept. Wait a second and run it again:
# the call fails, the kept row is served, and extensions.stale says which
# service failed, how, which paths hold stale data and how old it is (no
# extensions.errors entry for them). extensions.upstreams shows the failed
# call and the row served instead (cache: "stale").
#
# The dashboard (first tab) shows the cache at work too: run it twice and
# the second trace has cache: "hit" entries instead of calls.
query StaleProduct($id: ID! = "${DEMO_OUTAGE.key}") {
  product(id: $id) {
    id
    name
    price
  }
}
`;

/**
 * GraphiQL's settings. The tabs are used until a person's own tabs are
 * stored in the browser. When the operator allows the upstream trace,
 * GraphiQL always asks for it.
 */
export function graphiqlOptions(traceMode: UpstreamTraceMode): GraphiQLOptions {
  return {
    title: 'Gateway',
    defaultQuery: DEFAULT_QUERY,
    defaultTabs: [{ query: DEFAULT_QUERY }, { query: PARTIAL_FAILURE_QUERY }, { query: DEFER_QUERY }, { query: STALE_QUERY }],
    ...(traceMode === 'off' ? {} : { additionalHeaders: { [TRACE_HEADER]: '1' } }),
  };
}
