import { placeOrderThrough, type PlaceOrderRun } from '../test/helpers/place-order-run.js';
import { WRITE_FAULTS } from '../test/helpers/write-faults.js';

/**
 * `npm run write-faults`: one placeOrder (with a key) through each fault of
 * the write fault catalogue, against a real orders service on loopback (the
 * demo's store), with the orders service's default 2000 ms timeout; once
 * with the default idempotency header, once with none
 * (ORDERS_IDEMPOTENCY_HEADER=''). Prints a Markdown table: what the client
 * got, how long it took, and how many orders the service really placed.
 * The same catalogue is asserted by test/integration/write-faults.test.ts.
 */
const MODES: ReadonlyArray<{ readonly title: string; readonly env: Record<string, string> }> = [
  { title: 'With an idempotency key (`Idempotency-Key`, the default)', env: {} },
  { title: 'To a service without idempotency keys (`ORDERS_IDEMPOTENCY_HEADER=`)', env: { ORDERS_IDEMPOTENCY_HEADER: '' } },
];

for (const { title, env } of MODES) {
  const rows = ['| fault | answer | time | orders placed upstream | POSTs received |', '|---|---|---|---|---|'];
  for (const { name, fault } of WRITE_FAULTS) {
    const run = await placeOrderThrough(fault(), env);
    rows.push(`| ${name} | ${answer(run)} | ${Math.round(run.ms)} ms | ${run.ordersPlaced} | ${run.posts} |`);
  }
  process.stdout.write(`### ${title}\n\n${rows.join('\n')}\n\n`);
}

function answer(run: PlaceOrderRun): string {
  if (!run.failure) return run.orderId ? `order \`${run.orderId}\`` : `userErrors ${run.userErrors.map((error) => error.code).join(', ')}`;
  const { code, httpStatus, attempts, message } = run.failure;
  const unknown = /outcome is unknown/.test(message) ? ', outcome unknown' : '';
  return `\`${code}\`${httpStatus ? ` ${httpStatus}` : ''}, ${attempts} attempt${attempts === 1 ? '' : 's'}${unknown}`;
}
