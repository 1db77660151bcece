import { executePersisted, type ClientOptions, type GatewayResult } from './gateway.js';
import { graphql } from './gql/index.js';
import type { ClientDashboardQuery } from './gql/graphql.js';

/** The example's one operation: what a landing page shows. Codegen types it and hashes it into the manifest. */
export const ClientDashboardDocument = graphql(`
  query ClientDashboard($userId: ID!) {
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
`);

export type Dashboard = ClientDashboardQuery['dashboard'];

export function fetchDashboard(userId: string, options: ClientOptions): Promise<GatewayResult<ClientDashboardQuery>> {
  return executePersisted(ClientDashboardDocument, { userId }, options);
}
