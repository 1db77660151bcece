import { startGateway } from './gateway.js';
import { closedPortUrl } from './upstream.js';
import { PLACE_ORDER, startOrdersUpstream, type OrdersUpstream, type WriteFault } from './write-faults.js';

/** What one placeOrder through a faulty orders service came to. */
export interface PlaceOrderRun {
  readonly orderId: string | null;
  readonly userErrors: ReadonlyArray<{ readonly code: string }>;
  /** The extensions.errors entry, if the write failed. */
  readonly failure?: { readonly code: string; readonly message: string; readonly attempts: number; readonly httpStatus?: number; readonly paths: unknown };
  readonly ms: number;
  /** Orders the service really placed. */
  readonly ordersPlaced: number;
  /** POSTs that reached the service. */
  readonly posts: number;
}

/** One gateway, one placeOrder with a key, through an orders service that misbehaves as `fault` says. */
export async function placeOrderThrough(fault: WriteFault | 'closed port', env: Record<string, string> = {}): Promise<PlaceOrderRun> {
  const orders: OrdersUpstream | undefined = fault === 'closed port' ? undefined : await startOrdersUpstream(fault);
  const url = orders?.url ?? (await closedPortUrl());
  const gw = await startGateway({ env, urls: { orders: url } });
  try {
    const { body, ms } = await gw.query(PLACE_ORDER, { key: 'key-1' });
    const failure = body.extensions?.errors?.[0];
    return {
      orderId: body.data.placeOrder.order?.id ?? null,
      userErrors: body.data.placeOrder.userErrors,
      ...(failure ? { failure } : {}),
      ms,
      ordersPlaced: orders?.store.placedOrders.length ?? 0,
      posts: orders?.posts() ?? 0,
    };
  } finally {
    await gw.close();
    await orders?.close();
  }
}
