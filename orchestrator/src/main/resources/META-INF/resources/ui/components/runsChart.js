// One metric key of one or more runs in one line chart. Each series is fetched downsampled on the server to the
// chart's pixel width; live points (from a LiveStream the page owns) are appended as they come.
import { api } from '../api.js';
import { LineChart, plotWidth } from '../charts.js';

export class RunsChart {
  /**
   * runs: [{id, label, color, width, z, reported}]: reported false when the run has not reported the key yet (its
   * series is not asked for, so no 404; live points still start it). options: LineChart's (x, logY, bytes, smooth).
   */
  constructor(el, { key, runs, ...options }) {
    this.el = el;
    this.key = key;
    this.runs = runs;
    this.attempts = new Map(); // run id -> attempt the series shows
    this.chart = new LineChart(el, { title: key, ...options });
    this.chart.reload = () => this.load();
    this.abort = new AbortController();
    this.el.dataset.key = key;
  }

  /** Fetches every run's series (at most six requests at a time) and draws them. */
  async load() {
    const maxPoints = plotWidth(this.el);
    for (const run of this.runs) { // legend in the given order, whichever answer comes first
      if (!this.chart.has(run.id)) this.chart.set(run.id, { name: run.label, color: run.color, width: run.width, z: run.z }, []);
    }
    const queue = [...this.runs];
    const worker = async () => {
      while (queue.length) {
        const run = queue.shift();
        await this.loadRun(run, maxPoints);
      }
    };
    await Promise.all(Array.from({ length: Math.min(6, queue.length) }, worker));
    this.el.dataset.loaded = 'true';
    this.chart.render();
  }

  async loadRun(run, maxPoints = plotWidth(this.el)) {
    let series = null;
    if (run.reported === false) {
      if (!this.chart.has(run.id)) this.chart.set(run.id, { name: run.label, color: run.color, width: run.width, z: run.z }, []);
      return;
    }
    try {
      series = await api.series(run.id, this.key, { max_points: maxPoints }, this.abort.signal);
    } catch (e) {
      if (e.name === 'AbortError') return;
      if (e.status !== 404) console.warn('series', run.id, this.key, e);
    }
    this.attempts.set(run.id, series ? series.attempt : null);
    this.chart.set(run.id, { name: run.label, color: run.color, width: run.width, z: run.z },
      series ? series.points : []);
  }

  /** A live update of the stream: {runId, points: [{key, attempt, step, seq, value}]}. */
  accept(update) {
    const run = this.runs.find(r => r.id === update.runId);
    if (!run) return;
    const points = update.points.filter(p => p.key === this.key);
    if (!points.length) return;
    const shown = this.attempts.get(run.id);
    const newer = points.filter(p => shown == null || p.attempt === shown);
    if (shown == null && newer.length) {
      this.attempts.set(run.id, newer[0].attempt);
      run.reported = true;
    }
    if (points.some(p => shown != null && p.attempt > shown)) {
      this.loadRun(run); // a new attempt started: show it instead
      return;
    }
    this.chart.add(run.id, newer.filter(p => p.attempt === this.attempts.get(run.id)));
  }

  configure(options) {
    this.chart.configure(options);
  }

  get pointCount() {
    return this.chart.pointCount;
  }

  dispose() {
    this.abort.abort();
    this.chart.dispose();
  }
}
