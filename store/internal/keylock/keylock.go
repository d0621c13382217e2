// Package keylock is a set of mutexes, one per key, whose waiters give up
// when their context ends, which a sync.Mutex cannot do. The store
// backends queue the callers of WithOutboxLock on one per organization.
package keylock

import (
	"context"
	"sync"
)

// Locks holds one single-slot channel per key. The zero value is ready to
// use. Entries are never removed: keys are few (organizations) and a lock
// must stay the same object for as long as anyone may wait on it.
type Locks struct {
	mu    sync.Mutex
	locks map[string]chan struct{}
}

func (l *Locks) of(key string) chan struct{} {
	l.mu.Lock()
	defer l.mu.Unlock()
	c := l.locks[key]
	if c == nil {
		if l.locks == nil {
			l.locks = map[string]chan struct{}{}
		}
		c = make(chan struct{}, 1)
		l.locks[key] = c
	}
	return c
}

// Lock waits until the caller holds key's lock and returns its unlock, or
// returns ctx.Err() unwrapped (callers say which lock it was) when ctx ends
// first.
func (l *Locks) Lock(ctx context.Context, key string) (unlock func(), err error) {
	c := l.of(key)
	select {
	case c <- struct{}{}:
		return func() { <-c }, nil
	case <-ctx.Done():
		return nil, ctx.Err()
	}
}
