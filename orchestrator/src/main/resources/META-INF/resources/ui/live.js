// A Server-Sent Events subscription to new metric points. The browser reconnects by itself; after a reconnect the
// owner reloads what it shows, since points that arrived while the stream was down are only in the database.

export class LiveStream {
  constructor(url, { onPoints, onFinished, onState, onReconnect }) {
    this.state = 'connecting';
    this.hadError = false;
    this.es = new EventSource(url);
    const setState = state => {
      this.state = state;
      onState && onState(state);
    };
    const opened = () => {
      if (this.state === 'open') return;
      setState('open');
      if (this.hadError && onReconnect) onReconnect();
    };
    this.es.onopen = opened;
    this.es.addEventListener('ready', opened);
    this.es.addEventListener('ping', opened);
    this.es.addEventListener('points', e => {
      opened();
      onPoints && onPoints(JSON.parse(e.data));
    });
    this.es.addEventListener('finished', e => onFinished && onFinished(JSON.parse(e.data)));
    this.es.onerror = () => {
      this.hadError = true;
      setState(this.es.readyState === EventSource.CLOSED ? 'closed' : 'reconnecting');
    };
  }

  close() {
    this.es.close();
  }
}

/** Runs fn every ms milliseconds until the returned function is called; skips a round while one is in flight. */
export function every(ms, fn) {
  let busy = false;
  const id = setInterval(async () => {
    if (busy || document.hidden) return;
    busy = true;
    try { await fn(); } catch (e) { console.warn(e); } finally { busy = false; }
  }, ms);
  return () => clearInterval(id);
}
