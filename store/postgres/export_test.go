package postgres

// CacheHits counts the answers s served from its in-process cache.
func CacheHits(s *Store) uint64 { return s.watch.hits.Load() }
