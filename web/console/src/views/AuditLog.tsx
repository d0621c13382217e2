import { useQuery } from 'urql';
import { graphql } from '../gql';
import { QueryState } from '../components/State';
import { Pager, usePager } from '../components/Pager';
import { auditChanges } from '../lib/auditDiff';

const AuditLogDocument = graphql(`
  query AuditLog($first: Int!, $after: String) {
    auditLog(first: $first, after: $after) {
      totalCount
      pageInfo { hasNextPage endCursor }
      edges { node { id at action targetId before after actor { id name email } } }
    }
  }
`);

const PAGE = 25;

export function AuditLog() {
  const pager = usePager();
  const [result] = useQuery({ query: AuditLogDocument, variables: { first: PAGE, after: pager.after } });
  return (
    <section aria-labelledby="audit-title">
      <h1 id="audit-title">Audit log</h1>
      <QueryState result={result} what="the audit log">
        {(d) => (
          <>
            <div className="table-wrap">
              <table className="audit stack">
                <caption className="sr-only">Audit events, newest first</caption>
                <thead>
                  <tr>
                    <th scope="col">When</th>
                    <th scope="col">Who</th>
                    <th scope="col">Action</th>
                    <th scope="col">Target</th>
                    <th scope="col">Changes</th>
                  </tr>
                </thead>
                <tbody>
                  {d.auditLog.edges.map(({ node: e }) => {
                    const changes = auditChanges(e.before, e.after);
                    return (
                      <tr key={e.id}>
                        <td data-label="When">
                          <time dateTime={e.at}>{new Date(e.at).toLocaleString()}</time>
                        </td>
                        <td data-label="Who">{e.actor ? e.actor.name : <span className="muted">system</span>}</td>
                        <td data-label="Action">
                          <code className="action-name">{e.action}</code>
                        </td>
                        <td data-label="Target">
                          <code className="muted">{e.targetId ?? '—'}</code>
                        </td>
                        <td data-label="Changes">
                          {changes.length === 0 ? (
                            <span className="muted">—</span>
                          ) : (
                            <ul className="changes">
                              {changes.map((c) => (
                                <li key={c.path}>
                                  <code>{c.path}</code>: <del>{c.before}</del> → <ins>{c.after}</ins>
                                </li>
                              ))}
                            </ul>
                          )}
                        </td>
                      </tr>
                    );
                  })}
                </tbody>
              </table>
            </div>
            <Pager pager={pager} page={d.auditLog} size={PAGE} what="audit events" />
          </>
        )}
      </QueryState>
    </section>
  );
}
