import { useId, useState } from 'react';
import { useMutation, useQuery } from 'urql';
import { graphql } from '../gql';
import type { SeatsQuery } from '../gql/graphql';
import { useSession } from '../session';
import { ErrorOf, QueryState, Reason } from '../components/State';
import { seatName } from '../lib/names';

const SeatsDocument = graphql(`
  query Seats { organization { id seats { kind total used } } }
`);
const SetSeatTotalDocument = graphql(`
  mutation SetSeatTotal($kind: SeatKind!, $total: Int!) { setSeatTotal(kind: $kind, total: $total) { kind total used } }
`);


export function Licences() {
  const [result, refetch] = useQuery({ query: SeatsDocument });
  return (
    <section aria-labelledby="licences-title">
      <h1 id="licences-title">Licences</h1>
      <QueryState result={result} what="licences">
        {(d) => (
          <ul className="pools">
            {d.organization.seats.map((p) => (
              <Pool key={p.kind} pool={p} reload={() => refetch({ requestPolicy: 'network-only' })} />
            ))}
          </ul>
        )}
      </QueryState>
    </section>
  );
}

type SeatPool = SeatsQuery['organization']['seats'][number];

function Pool({ pool, reload }: { pool: SeatPool; reload: () => void }) {
  const s = useSession();
  const [total, setTotal] = useState(String(pool.total));
  const [res, set] = useMutation(SetSeatTotalDocument);
  const id = useId();
  // setSeatTotal needs seats.write today; buying licences moves to
  // account.write with the seed-fidelity work, and the reason follows.
  const block = s.can('seats.write') ? null : s.reason('seats.write');
  const name = seatName(pool.kind);
  return (
    <li className="panel pool">
      <h2>{name}</h2>
      <p className="big">
        {pool.used} <span className="muted">of {pool.total} used</span>
      </p>
      <meter min={0} max={Math.max(pool.total, 1)} value={pool.used} aria-label={`${name} seats used`}>
        {pool.used}/{pool.total}
      </meter>
      <form
        className="inline"
        onSubmit={async (e) => {
          e.preventDefault();
          const r = await set({ kind: pool.kind, total: Number(total) });
          if (r.data) reload();
        }}
      >
        <label htmlFor={id}>Total {name} seats</label>
        <input id={id} type="number" min={pool.used} value={total} onChange={(e) => setTotal(e.target.value)} disabled={!!block} />
        <button type="submit" disabled={!!block || res.fetching || total === String(pool.total)}>
          Set total
        </button>
      </form>
      {block && <Reason id={`${id}-r`}>{block}</Reason>}
      <ErrorOf error={res.error} title="Total not changed." />
    </li>
  );
}
