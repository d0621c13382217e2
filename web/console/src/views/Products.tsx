import { useId, useState } from 'react';
import { useMutation, useQuery } from 'urql';
import { graphql } from '../gql';
import type { Product } from '../gql/graphql';
import { useSession } from '../session';
import { ErrorOf, QueryState, Reason } from '../components/State';
import { Confirm } from '../components/Confirm';
import { ProductImpact, useProductPreview } from '../components/Impact';
import { SessionDocument } from '../session';

const ProductsDocument = graphql(`
  query Products { organization { id products } }
`);
const EnableProductDocument = graphql(`
  mutation EnableProduct($product: Product!) { enableProduct(product: $product) { id products modules { key } } }
`);
const DisableProductDocument = graphql(`
  mutation DisableProduct($product: Product!) { disableProduct(product: $product) { id products modules { key } } }
`);

const all: { key: Product; name: string }[] = [
  { key: 'CONVERSATIONS', name: 'Conversations' },
  { key: 'QUALITY', name: 'Quality' },
  { key: 'AI', name: 'AI' },
  { key: 'TELEPHONY', name: 'Telephony' },
  { key: 'CONTACT_CENTER', name: 'Contact Center' },
  { key: 'KNOWLEDGE_BASE', name: 'Knowledge base' },
  { key: 'MESSAGING', name: 'Messaging' },
];

export function Products() {
  const s = useSession();
  const [result] = useQuery({ query: ProductsDocument });
  const [, refreshSession] = useQuery({ query: SessionDocument, pause: true });
  const [eres, enable] = useMutation(EnableProductDocument);
  const [dres, disable] = useMutation(DisableProductDocument);
  const [asking, setAsking] = useState<{ product: Product; name: string; enable: boolean } | null>(null);
  // Asked with exactly what Confirm sends; Confirm waits for it.
  const preview = useProductPreview(asking?.product ?? 'CONVERSATIONS', asking?.enable ?? false, !asking);
  const reasonId = useId();
  const block = s.can('account.write') ? null : s.reason('account.write');
  const modules = s.data.organization.modules;
  return (
    <section aria-labelledby="products-title">
      <h1 id="products-title">Products</h1>
      <p className="muted">A disabled product's modules disappear from every role and deny; roles keep their grants for when it comes back.</p>
      {block && <Reason id={reasonId}>{block}</Reason>}
      <ErrorOf error={eres.error ?? dres.error} title="Product not changed." />
      <QueryState result={result} what="products">
        {(d) => (
          <ul className="products">
            {all.map((p) => {
              const on = d.organization.products.includes(p.key);
              const mods = modules.filter((m) => m.product === p.key).length;
              return (
                <li key={p.key} className="panel product">
                  <h2>{p.name}</h2>
                  <p>
                    <span className={on ? 'status status-active' : 'status status-deactivated'}>{on ? 'enabled' : 'disabled'}</span>
                    {on && <span className="muted"> · {mods} {mods === 1 ? 'module' : 'modules'}</span>}
                  </p>
                  <button
                    type="button"
                    disabled={!!block}
                    aria-describedby={block ? reasonId : undefined}
                    onClick={() => setAsking({ product: p.key, name: p.name, enable: !on })}
                  >
                    {on ? `Disable ${p.name}` : `Enable ${p.name}`}
                  </button>
                </li>
              );
            })}
          </ul>
        )}
      </QueryState>
      <Confirm
        open={!!asking}
        title={asking ? `${asking.enable ? 'Enable' : 'Disable'} ${asking.name}?` : ''}
        confirmLabel={asking?.enable ? 'Enable' : 'Disable'}
        danger={!asking?.enable}
        busy={eres.fetching || dres.fetching}
        confirmDisabled={!preview.ready}
        onCancel={() => setAsking(null)}
        onConfirm={async () => {
          if (!asking) return;
          const r = asking.enable ? await enable({ product: asking.product }) : await disable({ product: asking.product });
          setAsking(null);
          if (r.data) refreshSession({ requestPolicy: 'network-only' });
        }}
      >
        {asking && <ProductImpact enabled={asking.enable} preview={preview} />}
      </Confirm>
    </section>
  );
}
