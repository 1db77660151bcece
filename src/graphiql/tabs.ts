import { DEMO_OUTAGE, DEMO_UNLUCKY_USER_ID } from '../demo/data.js';
import type { ServiceName } from '../services/index.js';

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

/** A demo tab: a write, with its idempotency key. */
export const PLACE_ORDER_QUERY = /* GraphQL */ `# A write. placeOrder sends an idempotency key to the orders service: this
# one, or one the gateway makes when none is given (the payload returns it).
# Run it twice: the second answer is the same order, placed once. Change the
# quantity and keep the key: IDEMPOTENCY_KEY_REUSED, in userErrors (input
# errors are data; upstream failures go to extensions.errors as for reads).
# A placeOrder that fails with TIMEOUT or UNREACHABLE may still have placed
# the order: repeat it with the same key to learn the outcome, e.g. with
#   DEMO_ORDERS_WRITE_HANG=true npm start   (placed, never answered)
mutation PlaceOrder($key: String = "graphiql-example-1") {
  placeOrder(input: { userId: "1", productId: "p3", quantity: 2 }, idempotencyKey: $key) {
    order {
      id
      status
      total
      product {
        name
        sales {
          unitsSold
        }
      }
    }
    idempotencyKey
    userErrors {
      code
      message
      field
    }
  }
}
`;

/** A demo tab: an outage answered from the cache, and said so. */
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

interface DemoTab {
  readonly query: string;
  /** Services whose demo behaviour (data, fixtures, knobs) the tab's text and its lesson depend on. */
  readonly services: readonly ServiceName[];
}

const DEMO_TABS: readonly DemoTab[] = [
  { query: PARTIAL_FAILURE_QUERY, services: ['users', 'orders', 'notifications', 'products', 'inventory'] },
  { query: DEFER_QUERY, services: ['users', 'orders', 'notifications'] },
  // It places an order: never from a default tab against a real orders service.
  { query: PLACE_ORDER_QUERY, services: ['users', 'orders', 'products'] },
  { query: STALE_QUERY, services: ['products'] },
];

/**
 * The tabs GraphiQL opens on: the operator's default query, or the dashboard;
 * then each demo tab whose services all come from the built-in demo upstreams
 * (against real services, the `unlucky` user and the demo's knobs mean nothing).
 */
export function graphiqlTabs({ demoServices, defaultQuery }: { demoServices: readonly ServiceName[]; defaultQuery: string | undefined }): string[] {
  const demoTabs = DEMO_TABS.filter((tab) => tab.services.every((service) => demoServices.includes(service)));
  return [defaultQuery ?? DEFAULT_QUERY, ...demoTabs.map((tab) => tab.query)];
}
