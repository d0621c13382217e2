import { useId, useState } from 'react';
import { useMutation, useQuery } from 'urql';
import { graphql } from '../gql';
import { ErrorOf, QueryState } from '../components/State';
import { CopyField } from './Members';

const GuestRolesDocument = graphql(`
  query GuestRoles { organization { id roles { id key name } } }
`);
const CreateGuestInviteDocument = graphql(`
  mutation CreateGuestInvite($roleId: ID!, $expiresAt: String!) {
    createGuestInvite(roleId: $roleId, expiresAt: $expiresAt) { token url expiresAt }
  }
`);

function inDays(n: number): string {
  const d = new Date(Date.now() + n * 86400_000);
  return d.toISOString().slice(0, 10);
}

export function Guests() {
  const [roles] = useQuery({ query: GuestRolesDocument });
  const [res, create] = useMutation(CreateGuestInviteDocument);
  const [role, setRole] = useState('');
  const [expires, setExpires] = useState(inDays(14));
  const roleId = useId();
  const dateId = useId();
  const link = res.data?.createGuestInvite;
  return (
    <section aria-labelledby="guests-title">
      <h1 id="guests-title">Guests</h1>
      <p className="muted">Guests join through an expiring link with one role, usually a narrow one.</p>
      <QueryState result={roles} what="roles">
        {(d) => {
          const choices = d.organization.roles.filter((r) => r.key !== 'owner');
          const picked = role || choices.find((r) => r.key === 'guest')?.id || '';
          return (
            <form
              className="panel"
              aria-label="New guest link"
              onSubmit={(e) => {
                e.preventDefault();
                // End of the chosen day, in UTC: the link works all that day.
                create({ roleId: picked, expiresAt: `${expires}T23:59:59Z` });
              }}
            >
              <h2>New guest link</h2>
              <label htmlFor={roleId}>Role for guests</label>
              <select id={roleId} value={picked} onChange={(e) => setRole(e.target.value)}>
                {choices.map((r) => (
                  <option key={r.id} value={r.id}>
                    {r.name}
                  </option>
                ))}
              </select>
              <label htmlFor={dateId}>Link expires on</label>
              <input id={dateId} type="date" min={inDays(0)} value={expires} onChange={(e) => setExpires(e.target.value)} />
              <button type="submit" className="primary" disabled={!picked || !expires || res.fetching}>
                Create link
              </button>
              <ErrorOf error={res.error} title="No link created." />
            </form>
          );
        }}
      </QueryState>
      {link && (
        <div role="status" className="panel done">
          <p>Link created; it expires {new Date(link.expiresAt).toLocaleString()}.</p>
          <CopyField label="Guest link" value={link.url} />
        </div>
      )}
    </section>
  );
}
