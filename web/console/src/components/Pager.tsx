// Cursor paging through a Relay connection: Next follows endCursor,
// Previous walks back the cursors seen.
import { useState } from 'react';

export interface PagerState {
  after: string | undefined;
  index: number;
  next(cursor: string): void;
  prev(): void;
  reset(): void;
}

export function usePager(): PagerState {
  const [stack, setStack] = useState<(string | undefined)[]>([undefined]);
  return {
    after: stack[stack.length - 1],
    index: stack.length - 1,
    next: (cursor) => setStack([...stack, cursor]),
    prev: () => setStack(stack.length > 1 ? stack.slice(0, -1) : stack),
    reset: () => setStack([undefined]),
  };
}

export function Pager({
  pager,
  page,
  size,
  what,
}: {
  pager: PagerState;
  page: { totalCount: number; pageInfo: { hasNextPage: boolean; endCursor?: string | null }; edges: unknown[] };
  size: number;
  what: string;
}) {
  const from = pager.index * size + (page.edges.length ? 1 : 0);
  const to = pager.index * size + page.edges.length;
  return (
    <nav className="pager" aria-label={`Pages of ${what}`}>
      <button type="button" disabled={pager.index === 0} onClick={pager.prev}>
        Previous page
      </button>
      <span aria-live="polite">
        {from}–{to} of {page.totalCount}
      </span>
      <button
        type="button"
        disabled={!page.pageInfo.hasNextPage || !page.pageInfo.endCursor}
        onClick={() => page.pageInfo.endCursor && pager.next(page.pageInfo.endCursor)}
      >
        Next page
      </button>
    </nav>
  );
}
