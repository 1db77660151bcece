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
