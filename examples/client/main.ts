import { fetchDashboard } from './dashboard.js';
import { renderDashboard } from './render.js';

/**
 * The example client from the command line:
 *
 *   node --import tsx examples/client/main.ts [endpoint] [userId] [--trusted]
 *
 * `--trusted` sends document ids only, as a gateway in trusted-documents mode
 * requires; without it the client falls back to the document text.
 */
const args = process.argv.slice(2);
const [endpoint = 'http://localhost:4000/graphql', userId = '1'] = args.filter((arg) => !arg.startsWith('--'));
const result = await fetchDashboard(userId, { endpoint, persisted: args.includes('--trusted') ? 'only' : 'fallback' });
process.stdout.write(`${renderDashboard(result).join('\n')}\n`);
process.exitCode = result.data?.dashboard ? 0 : 1;
