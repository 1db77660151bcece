import type { GatewayResponseExtensions, ResponsePath, UpstreamErrorEntry } from '../../src/errors/contract.js';
import type { GatewayResult } from './gateway.js';
import type { ClientDashboardQuery } from './gql/graphql.js';

/**
 * Renders a dashboard as text lines, partial results included: a section
 * whose service failed says so, from the typed `extensions.errors`, while
 * the rest of the page is shown as usual.
 */
export function renderDashboard(result: GatewayResult<ClientDashboardQuery>): string[] {
  const dashboard = result.data?.dashboard;
  if (!dashboard) return [`The gateway could not run the query: ${result.errors?.map((error) => error.message).join('; ') ?? 'no data'}`];
  const unavailable = (path: ResponsePath, otherwise: string) => {
    const failure = failureAt(result.extensions, path);
    return failure ? `unavailable: ${describeFailure(failure)}` : otherwise;
  };
  const { user, orders, notifications } = dashboard;
  const lines = [user ? `${user.name} <${user.email}>` : `User: ${unavailable(['dashboard', 'user'], 'not found')}`];

  if (!orders) lines.push(`Orders: ${unavailable(['dashboard', 'orders'], 'none')}`);
  else {
    lines.push(`Orders (${orders.length}):`);
    orders.forEach((order, index) => {
      const productPath = ['dashboard', 'orders', index, 'product'];
      const product = order.product
        ? `${order.product.name} (${order.product.stock ? `${order.product.stock.available} in stock` : `stock ${unavailable([...productPath, 'stock'], 'not tracked')}`})`
        : `product ${unavailable(productPath, 'not found')}`;
      lines.push(`  ${order.id}  ${order.status.padEnd(9)}  ${order.total.toFixed(2).padStart(8)}  ${product}`);
    });
  }

  if (!notifications) lines.push(`Notifications: ${unavailable(['dashboard', 'notifications'], 'none')}`);
  else {
    lines.push(`Notifications (${notifications.filter((notification) => !notification.read).length} unread):`);
    for (const notification of notifications) lines.push(`  ${notification.read ? ' ' : '*'} ${notification.message}`);
  }
  return lines;
}

/** The failure that nulled the field at `path`, if one did (a null with no entry is "not found"). */
export function failureAt(extensions: GatewayResponseExtensions | undefined, path: ResponsePath): UpstreamErrorEntry | undefined {
  return extensions?.errors?.find((entry) => entry.paths.some((nulled) => samePath(nulled, path)));
}

/** Words for a person. The switch covers the contract's codes; the compiler says so when one is added. */
export function describeFailure(entry: UpstreamErrorEntry): string {
  const tries = entry.attempts > 1 ? `, after ${entry.attempts} attempts` : '';
  switch (entry.code) {
    case 'TIMEOUT':
      return `${entry.service} is too slow right now${tries}`;
    case 'HTTP_ERROR':
      return `${entry.service} failed (HTTP ${entry.httpStatus ?? 'error'})${tries}`;
    case 'UNREACHABLE':
      return `${entry.service} cannot be reached${tries}`;
    case 'BAD_RESPONSE':
      return `${entry.service} sent an answer we cannot read`;
    case 'CIRCUIT_OPEN':
      return `${entry.service} is paused after repeated failures`;
    default: {
      // A gateway newer than this client may send a code added since: still say something useful.
      const code: never = entry.code;
      return `${entry.service} is unavailable (${String(code)})`;
    }
  }
}

function samePath(a: ResponsePath, b: ResponsePath): boolean {
  return a.length === b.length && a.every((part, index) => part === b[index]);
}
