// A typed rolegraph client: signs in with a bearer token, lists the first
// interactions the viewer may read with what else the viewer may do to each,
// and exits non-zero when the server answers with GraphQL errors.
//
//   ROLEGRAPH_URL=http://127.0.0.1:8080 ROLEGRAPH_TOKEN=<token> node dist/main.js
import { print } from 'graphql';
import type { TypedDocumentNode } from '@graphql-typed-document-node/core';
import { graphql } from './gql/gql.js';

// graphql() returns a TypedDocumentNode: the result and variable types come
// from schema.graphql through `npm run codegen`, so a field renamed on the
// server breaks `tsc` here rather than the program at run time.
const InteractionsQuery = graphql(`
  query Interactions {
    viewer {
      name
    }
    interactions(first: 5) {
      totalCount
      edges {
        node {
          id
          title
          viewerCan {
            read
            write
            delete
            download
          }
        }
      }
    }
  }
`);

/** One GraphQL error as rolegraph sends it (extensions.code says what kind). */
interface GraphQLError {
  message: string;
  path?: (string | number)[];
  extensions?: { code?: string; field?: string; permission?: string };
}

class GraphQLErrors extends Error {
  constructor(readonly errors: GraphQLError[]) {
    super(errors.map((e) => `${e.extensions?.code ?? 'ERROR'}: ${e.message}`).join('\n'));
  }
}

/** Sends one operation; the answer's type is the document's result type. */
async function request<R, V>(
  url: string,
  token: string,
  doc: TypedDocumentNode<R, V>,
  variables?: V,
): Promise<R> {
  const endpoint = new URL('/graphql', url);
  const res = await fetch(endpoint, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      accept: 'application/graphql-response+json, application/json',
      authorization: `Bearer ${token}`,
    },
    body: JSON.stringify({ query: print(doc), variables }),
  }).catch((err: Error) => {
    // fetch says only "fetch failed"; the cause names the refusal.
    const cause = err.cause instanceof Error ? `: ${err.cause.message}` : '';
    throw new Error(`${endpoint}: ${err.message}${cause} (is rolegraph serving there?)`);
  });
  let body: { data?: R | null; errors?: GraphQLError[] };
  try {
    body = (await res.json()) as typeof body;
  } catch {
    throw new Error(`${url}: HTTP ${res.status} without a GraphQL answer`);
  }
  // A GraphQL error may come with partial data; this client treats any
  // error as failure so that a denied or mistyped query is never silent.
  if (body.errors?.length) throw new GraphQLErrors(body.errors);
  if (body.data == null) throw new Error(`${url}: HTTP ${res.status} with neither data nor errors`);
  return body.data;
}

function flag(b: boolean): string {
  return b ? 'yes' : 'no';
}

async function main(): Promise<number> {
  const url = process.env.ROLEGRAPH_URL ?? 'http://127.0.0.1:8080';
  const token = process.env.ROLEGRAPH_TOKEN;
  if (!token) {
    console.error('ROLEGRAPH_TOKEN is not set: use a token `rolegraph serve --demo` printed');
    return 2;
  }
  const data = await request(url, token, InteractionsQuery);
  const { viewer, interactions } = data;
  console.log(`viewer: ${viewer.name}`);
  console.log(`interactions: ${interactions.edges.length} of ${interactions.totalCount}`);
  const rows = interactions.edges.map(({ node }) => [
    node.id,
    node.title,
    flag(node.viewerCan.read),
    flag(node.viewerCan.write),
    flag(node.viewerCan.delete),
    flag(node.viewerCan.download),
  ]);
  const head = ['id', 'title', 'read', 'write', 'delete', 'download'];
  const width = head.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  for (const r of [head, ...rows]) {
    console.log(r.map((c, i) => c.padEnd(width[i])).join('  ').trimEnd());
  }
  return 0;
}

// exitCode rather than exit(): Node flushes stdout before it ends.
main().then(
  (code) => {
    process.exitCode = code;
  },
  (err: unknown) => {
    console.error(err instanceof Error ? err.message : err);
    process.exitCode = 1;
  },
);
