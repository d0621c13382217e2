// A labelled group of checkboxes choosing a set of values.
import type { ReactNode } from 'react';

export function CheckList<T extends string>({
  legend,
  items,
  picked,
  onChange,
  disabled,
  describedBy,
}: {
  legend: ReactNode;
  items: { value: T; label: string }[];
  picked: ReadonlySet<T>;
  onChange: (next: Set<T>) => void;
  disabled?: boolean;
  describedBy?: string;
}) {
  const flip = (v: T) => {
    const n = new Set(picked);
    if (n.has(v)) n.delete(v);
    else n.add(v);
    onChange(n);
  };
  return (
    <fieldset disabled={disabled} aria-describedby={describedBy}>
      <legend>{legend}</legend>
      {items.map((it) => (
        <label key={it.value} className="check">
          <input type="checkbox" checked={picked.has(it.value)} onChange={() => flip(it.value)} /> {it.label}
        </label>
      ))}
    </fieldset>
  );
}
