import { buildSubgraphSchema } from '@apollo/subgraph';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { parse } from 'graphql';
import { createYoga } from 'graphql-yoga';

/**
 * A second subgraph that nobody on this team controls the shape of, written
 * the way another team would, with Apollo's subgraph library: an "offers"
 * service that extends our `Product` entity with `offers` and contributes
 * `Product` references of its own (`deals`), which a router then resolves
 * through our `_entities`.
 */
export const OFFERS_SDL = /* GraphQL */ `
  extend schema @link(url: "https://specs.apollo.dev/federation/v2.9", import: ["@key"])

  type Product @key(fields: "id") {
    id: ID!
    offers: [Offer!]!
  }

  type Offer {
    id: ID!
    seller: String!
    price: Float!
    "Resolved by the subgraph that owns products; null when it cannot say."
    product: Product
  }

  type Query {
    "One offer for each of the products p1 … p{count}."
    deals(count: Int!): [Offer!]!
  }
`;

interface Offer {
  readonly id: string;
  readonly seller: string;
  readonly price: number;
  readonly productId: string;
}

function offerFor(productId: string, index = 0): Offer {
  return { id: `${productId}-o${index}`, seller: ['Acme', 'Globex'][index % 2]!, price: 10 + index, productId };
}

const resolvers = {
  Query: {
    deals: (_root: unknown, { count }: { count: number }) => Array.from({ length: count }, (_, index) => offerFor(`p${index + 1}`)),
  },
  Offer: {
    // A reference: only the key; the router asks the products' subgraph for the rest.
    product: (offer: Offer) => ({ __typename: 'Product', id: offer.productId }),
  },
  Product: {
    __resolveReference: (reference: { id: string }) => reference,
    offers: (product: { id: string }) => [offerFor(product.id, 0), offerFor(product.id, 1)],
  },
};

export interface OffersSubgraph {
  readonly url: string;
  close(): Promise<void>;
}

export async function startOffersSubgraph(): Promise<OffersSubgraph> {
  const yoga = createYoga({ schema: buildSubgraphSchema({ typeDefs: parse(OFFERS_SDL), resolvers }), graphqlEndpoint: '/graphql', logging: false });
  const server = http.createServer(yoga);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/graphql`,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
