// A front end's use of the generated types: a typed fetch of a typed document, compiled
// with tsc --strict by `make codegen-check`. Scalars arrive as strings (Decimal, Date, DateTime).
import type { TypedDocumentNode } from '@graphql-typed-document-node/core';
import { print } from 'graphql';

import {
  LoginDocument,
  UnpaidInvoicesDocument,
  type InvoiceStatus,
  type UnpaidInvoicesQuery,
} from './generated/graphql';

interface GraphQLError {
  message: string;
  path?: ReadonlyArray<string | number>;
  extensions: { code: string; retryable: boolean; retryAfter?: number };
}

export interface Answer<TData> {
  data?: TData | null;
  errors?: GraphQLError[];
}

export async function execute<TData, TVariables>(
  document: TypedDocumentNode<TData, TVariables>,
  variables: TVariables,
): Promise<Answer<TData>> {
  const response = await fetch('/graphql', {
    method: 'POST',
    credentials: 'same-origin', // the session cookie
    headers: {
      'Content-Type': 'application/json',
      Accept: 'application/graphql-response+json, application/json;q=0.9',
      'Accept-Language': 'cs',
    },
    body: JSON.stringify({ query: print(document), variables }),
  });
  return (await response.json()) as Answer<TData>;
}

type Invoice = NonNullable<
  NonNullable<NonNullable<UnpaidInvoicesQuery['customer']>['invoices']>['edges'][number]
>['node'];

const OPEN: ReadonlyArray<InvoiceStatus> = ['UNPAID', 'OVERDUE'];

/** The sum still due, in haléře (the Decimal strings are exact; never add them as floats). */
export function totalDueInHalere(invoices: ReadonlyArray<Invoice>): bigint {
  return invoices
    .filter((invoice) => OPEN.includes(invoice.status))
    .reduce((sum, invoice) => {
      const [whole = '0', fraction = ''] = invoice.amountDue.amount.split('.');
      return sum + BigInt(whole) * 100n + BigInt(fraction.padEnd(2, '0').slice(0, 2));
    }, 0n);
}

export async function unpaidInvoices(login: string, password: string, number: string): Promise<Invoice[]> {
  const session = await execute(LoginDocument, { login, password });
  const problems = session.data?.login.errors ?? [];
  if (problems.length > 0) {
    throw new Error(problems.map((problem) => problem.message).join(' '));
  }
  const answer = await execute(UnpaidInvoicesDocument, { number, first: 20 });
  const dueDates: string[] = answer.data?.customer?.invoices?.edges.map((edge) => edge.node.dueDate) ?? [];
  console.log(`next due: ${dueDates.sort()[0] ?? 'nothing'}`);
  return answer.data?.customer?.invoices?.edges.map((edge) => edge.node) ?? [];
}
