// Hash routes (#/roles/ROLE_ID): the binary serves one page at /console, so
// every view is reachable by a link and the back button without the server
// knowing the console's paths.
import { useEffect, useState } from 'react';

export function parts(): string[] {
  return location.hash.replace(/^#\/?/, '').split('/').filter(Boolean).map(decodeURIComponent);
}

export function useRoute(): string[] {
  const [p, setP] = useState(parts);
  useEffect(() => {
    const on = () => setP(parts());
    window.addEventListener('hashchange', on);
    return () => window.removeEventListener('hashchange', on);
  }, []);
  return p;
}

export function href(...segments: string[]): string {
  return '#/' + segments.map(encodeURIComponent).join('/');
}

export function go(...segments: string[]): void {
  location.hash = href(...segments);
}
