/* eslint-disable */
/** Internal type. DO NOT USE DIRECTLY. */
type Exact<T extends { [key: string]: unknown }> = { [K in keyof T]: T[K] };
/** Internal type. DO NOT USE DIRECTLY. */
export type Incremental<T> = T | { [P in keyof T]?: P extends ' $fragmentName' | '__typename' ? T[P] : never };
import type { DocumentTypeDecoration } from '@graphql-typed-document-node/core';
export type ClientDashboardQueryVariables = Exact<{
  userId: string;
}>;


export type ClientDashboardQuery = { dashboard: { user: { id: string, name: string, email: string } | null, orders: Array<{ id: string, status: string, total: number, createdAt: string, product: { name: string, price: number, stock: { available: number } | null } | null }> | null, notifications: Array<{ id: string, message: string, read: boolean }> | null } };

export class TypedDocumentString<TResult, TVariables>
  extends String
  implements DocumentTypeDecoration<TResult, TVariables>
{
  __apiType?: NonNullable<DocumentTypeDecoration<TResult, TVariables>['__apiType']>;
  private value: string;
  public __meta__?: Record<string, any> | undefined;

  constructor(value: string, __meta__?: Record<string, any> | undefined) {
    super(value);
    this.value = value;
    this.__meta__ = __meta__;
  }

  override toString(): string & DocumentTypeDecoration<TResult, TVariables> {
    return this.value;
  }
}

export const ClientDashboardDocument = new TypedDocumentString(`
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
    `, {"hash":"sha256:bde28165794d46a42ba0333c6cfdaf26f11a4dbf256dcdf9a318c7de12f53abc"}) as unknown as TypedDocumentString<ClientDashboardQuery, ClientDashboardQueryVariables>;