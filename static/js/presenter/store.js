// The presenter's store: one plain object of what the page knows (the deck, the live state,
// the screens and pairings, ...). Controllers subscribe to a slice of it and are called back
// only when that slice changed, so a new state redraws what it touched and nothing else.

export function createStore(initial) {
  let current = { ...initial };
  const watchers = [];

  function set(changes) {
    current = { ...current, ...changes };
    // a callback may set() again: that pass runs first, and this one then finds nothing new
    for (const watch of [...watchers]) watch();
  }

  function subscribe(selector, callback) {
    let last = selector(current);
    watchers.push(() => {
      const next = selector(current);
      if (same(next, last)) return;
      last = next;
      callback(next, current);
    });
  }

  return { get: () => current, set, subscribe };
}

export function same(a, b) {
  // slices are JSON data (the server's messages): equal by value, since every message is a
  // new object even when nothing in it changed. Anything else (an element) by identity.
  if (Object.is(a, b)) return true;
  if (Array.isArray(a)) {
    return Array.isArray(b) && a.length === b.length && a.every((v, i) => same(v, b[i]));
  }
  if (!plain(a) || !plain(b)) return false;
  const keys = Object.keys(a);
  return keys.length === Object.keys(b).length && keys.every((k) => k in b && same(a[k], b[k]));
}

function plain(value) {
  return value !== null && typeof value === "object" && Object.getPrototypeOf(value) === Object.prototype;
}

export function current(s) {
  // the exhibit on screen, as the deck describes it
  return s.deck.exhibits.find((e) => e.id === s.state?.item);
}
