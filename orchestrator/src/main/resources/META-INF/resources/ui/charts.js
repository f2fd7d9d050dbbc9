// Charts, drawn by Apache ECharts (served from the org.mvnpm:echarts jar under /_static/echarts/).
// A LineChart holds one series per run; points are {step, seq, value} as the metrics API returns them.
import * as echarts from '/_static/echarts/dist/echarts.esm.min.js';
import { num, fmtNum } from './format.js';

export const PALETTE = ['#2f5bd3', '#e0663b', '#1f9d6b', '#9b51e0', '#0fa3b1', '#d6457a', '#6b7a8f', '#7cb342',
  '#3949ab', '#8d6e63', '#f06292', '#00897b'];
export const BEST_COLOR = '#d99a00';

const GRID = { left: 58, right: 18, top: 34, bottom: 34 };

/** How many points a chart in this element can show: one per pixel of its plot width. */
export function plotWidth(el) {
  const width = el.getBoundingClientRect().width || el.clientWidth || 600;
  return Math.max(2, Math.min(100000, Math.round(width - GRID.left - GRID.right)));
}

export class LineChart {
  constructor(el, { yName = '', logY = false } = {}) {
    this.el = el;
    this.logY = logY;
    this.yName = yName;
    this.series = new Map(); // id -> {name, color, width, points: [[step, value]], seen: Set}
    this.chart = echarts.init(el, null, { renderer: 'canvas' });
    this.frame = 0;
    this.resize = new ResizeObserver(() => this.chart.resize());
    this.resize.observe(el);
    this.el.dataset.points = '0';
    this.el.dataset.series = '0';
  }

  /** Replaces a series: its points as the API returned them (full resolution or min/max buckets). */
  set(id, { name, color, width = 1.5, z = 2 }, points) {
    const s = { name, color, width, z, points: [], seen: new Set() };
    this.series.set(String(id), s); // a series set again keeps its place in the legend
    this.add(id, points);
  }

  has(id) {
    return this.series.has(String(id));
  }

  /** Adds points to a series (live updates), ignoring ones it already holds; returns how many were new. */
  add(id, points) {
    const s = this.series.get(String(id));
    if (!s) return 0;
    let added = 0;
    let sorted = true;
    for (const p of points) {
      const identity = p.step + ':' + p.seq;
      if (s.seen.has(identity)) continue;
      s.seen.add(identity);
      const value = num(p.value);
      if (!Number.isFinite(value)) continue; // NaN and infinities cannot be drawn; the table shows them
      const last = s.points[s.points.length - 1];
      if (last && last[0] > p.step) sorted = false;
      s.points.push([p.step, value]);
      added++;
    }
    if (!sorted) s.points.sort((a, b) => a[0] - b[0]);
    if (added) this.render();
    return added;
  }

  remove(id) {
    this.series.delete(String(id));
    this.render();
  }

  get pointCount() {
    let n = 0;
    for (const s of this.series.values()) n += s.points.length;
    return n;
  }

  /** Redraws at the next animation frame, once however many updates arrive before it. */
  render() {
    if (this.frame) return;
    this.frame = requestAnimationFrame(() => {
      this.frame = 0;
      this.draw();
    });
  }

  draw() {
    const series = [...this.series.values()];
    this.chart.setOption({
      animation: false,
      color: PALETTE,
      grid: GRID,
      legend: { type: 'scroll', top: 0, left: 0, right: 0, textStyle: { fontSize: 11 }, itemHeight: 8 },
      tooltip: { trigger: 'axis', confine: true, valueFormatter: v => fmtNum(v),
        axisPointer: { type: 'line', snap: false } },
      xAxis: { type: 'value', name: 'step', nameGap: 4, min: 'dataMin', max: 'dataMax',
        axisLabel: { fontSize: 11, hideOverlap: true } },
      yAxis: { type: this.logY ? 'log' : 'value', scale: true, name: this.yName, nameTextStyle: { align: 'left' },
        axisLabel: { fontSize: 11, formatter: v => fmtNum(v, 3) } },
      dataZoom: [{ type: 'inside', filterMode: 'none' }],
      series: series.map(s => ({
        type: 'line', name: s.name, data: s.points, showSymbol: s.points.length < 30, symbolSize: 4,
        color: s.color, lineStyle: { width: s.width }, z: s.z, emphasis: { focus: 'series' }, animation: false,
      })),
    }, { replaceMerge: ['series'] });
    this.el.dataset.points = String(this.pointCount);
    this.el.dataset.series = String(series.length);
  }

  dispose() {
    cancelAnimationFrame(this.frame);
    this.resize.disconnect();
    this.chart.dispose();
  }
}

/**
 * Parallel coordinates: one axis per varying parameter, the metric last; one line per run, coloured by the metric
 * (good to bad for the goal); the best run drawn on top in gold. Clicking a line calls onPick(runId).
 */
export function parallelChart(el, { coordinates, specParameters, bestRunId, onPick }) {
  const chart = echarts.init(el, null, { renderer: 'canvas' });
  const resize = new ResizeObserver(() => chart.resize());
  resize.observe(el);
  const items = coordinates.items;
  const axes = [];
  coordinates.parameters.forEach(name => {
    const values = items.map(i => i.parameters[name]).filter(v => v !== undefined);
    const distinct = [...new Set(values.map(v => JSON.stringify(v)))];
    if (distinct.length < 2) return; // a constant says nothing
    const numeric = values.every(v => typeof v === 'number');
    const spec = (specParameters || {})[name] || {};
    const log = numeric && String(spec.distribution || '').includes('log') && values.every(v => v > 0);
    axes.push(numeric
      ? { name, type: log ? 'log' : 'value', scale: true, get: i => i.parameters[name] }
      : { name, type: 'category', data: distinct.map(d => String(JSON.parse(d))).sort(),
        get: i => String(i.parameters[name]) });
  });
  const values = items.map(i => num(i.value)).filter(Number.isFinite);
  axes.push({ name: coordinates.metric, type: 'value', scale: true, get: i => num(i.value), metric: true });
  const row = i => ({ value: axes.map(a => a.get(i)), name: '#' + i.index, runId: i.runId });
  const finite = items.filter(i => Number.isFinite(num(i.value)));
  const best = finite.find(i => i.runId === bestRunId);
  const minimize = coordinates.goal !== 'maximize';
  chart.setOption({
    animation: false,
    parallel: { left: 50, right: 120, top: 40, bottom: 28,
      parallelAxisDefault: { nameLocation: 'start', nameGap: 14, nameTextStyle: { fontSize: 11, color: '#444' },
        axisLabel: { fontSize: 10, formatter: v => (typeof v === 'number' ? fmtNum(v, 3) : v) } } },
    parallelAxis: axes.map((a, dim) => ({ dim, name: a.name, type: a.type, data: a.data, scale: a.scale,
      nameTextStyle: a.metric ? { fontWeight: 'bold', color: '#1d2330' } : undefined })),
    visualMap: values.length ? {
      type: 'continuous', dimension: axes.length - 1, min: Math.min(...values), max: Math.max(...values),
      inRange: { color: minimize ? ['#1f9d6b', '#e9c46a', '#c2362f'] : ['#c2362f', '#e9c46a', '#1f9d6b'] },
      right: 10, top: 'middle', itemHeight: 120, calculable: true, text: ['', coordinates.metric],
      textStyle: { fontSize: 10 }, seriesIndex: 0, formatter: v => fmtNum(v, 3),
    } : undefined,
    tooltip: { trigger: 'item', formatter: p => p.name + ': ' + fmtNum(p.value[p.value.length - 1]) },
    series: [
      { type: 'parallel', data: finite.map(row), lineStyle: { width: 1, opacity: 0.45 },
        emphasis: { lineStyle: { width: 2.5, opacity: 1 } }, inactiveOpacity: 0.05, activeOpacity: 1 },
      { type: 'parallel', name: 'best', data: best ? [row(best)] : [], z: 10,
        lineStyle: { width: 3.5, opacity: 1, color: BEST_COLOR } },
    ],
  });
  chart.on('click', p => p.data && p.data.runId && onPick && onPick(p.data.runId));
  el.dataset.lines = String(finite.length);
  return { dispose: () => { resize.disconnect(); chart.dispose(); } };
}
