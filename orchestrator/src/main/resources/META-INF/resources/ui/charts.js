// Charts, drawn by Apache ECharts (served from the org.mvnpm:echarts jar under /_static/echarts/).
// A LineChart holds one series per run; points are {step, seq, value} as the metrics API returns them.
import * as echarts from '/_static/echarts/dist/echarts.esm.min.js';
import { num, fmtNum, fmtBytes, fmtClock } from './format.js';

export const PALETTE = ['#2f5bd3', '#e0663b', '#1f9d6b', '#9b51e0', '#0fa3b1', '#d6457a', '#6b7a8f', '#7cb342',
  '#3949ab', '#8d6e63', '#f06292', '#00897b'];
export const BEST_COLOR = '#d99a00';

/**
 * A run's colour everywhere (sweep charts, the run page, compare, the table's swatch): derived from its id, never from
 * its row, so re-sorting or paging does not recolour it. Consecutive runs get different colours.
 */
export function runColor(id) {
  const n = Number(id);
  return PALETTE[((n % PALETTE.length) + PALETTE.length) % PALETTE.length];
}

/** The theme the page shows ('dark' or 'light'): the toggle's choice, else the browser's preference. */
export function currentTheme() {
  return document.documentElement.dataset.theme === 'dark' ? 'dark' : 'light';
}

function ink() {
  const css = getComputedStyle(document.documentElement);
  return { text: css.getPropertyValue('--ink').trim() || '#1d2330', muted: css.getPropertyValue('--muted').trim()
    || '#647084', line: css.getPropertyValue('--line').trim() || '#e2e6ec' };
}

/** Points as CSV text: one row per point, a column per series (the chart's toolbox offers it as a download). */
export function seriesCsv(xName, series) {
  const xs = [...new Set(series.flatMap(s => s.points.map(p => p[0])))].sort((a, b) => a - b);
  const maps = series.map(s => new Map(s.points.map(p => [p[0], p[1]])));
  const quote = v => (/[",\n]/.test(v) ? '"' + v.replace(/"/g, '""') + '"' : v);
  const lines = [[xName, ...series.map(s => s.name)].map(quote).join(',')];
  xs.forEach(x => lines.push([x, ...maps.map(m => (m.has(x) ? m.get(x) : ''))].join(',')));
  return lines.join('\n') + '\n';
}

/**
 * Offers text as a file download named name: a link left in the page (a data: URL up to 1 MB, whose content is the
 * link itself, else a Blob URL), clicked once.
 */
export function download(name, text, type = 'text/csv') {
  const old = document.querySelector('a.last-download');
  if (old) { if (old.href.startsWith('blob:')) URL.revokeObjectURL(old.href); old.remove(); }
  const a = document.createElement('a');
  a.className = 'last-download hidden';
  a.href = text.length < 1000000 ? `data:${type};charset=utf-8,` + encodeURIComponent(text)
    : URL.createObjectURL(new Blob([text], { type: type + ';charset=utf-8' }));
  a.download = name;
  document.body.append(a);
  a.click();
  return a;
}

const GRID = { left: 58, right: 18, top: 34, bottom: 34 };

/** How many points a chart in this element can show: one per pixel of its plot width. */
export function plotWidth(el) {
  const width = el.getBoundingClientRect().width || el.clientWidth || 600;
  return Math.max(2, Math.min(100000, Math.round(width - GRID.left - GRID.right)));
}

export class LineChart {
  /**
   * x: 'step' (the default), 'time' (wall clock) or 'relative' (seconds since the series' first point); bytes: the
   * values are byte counts (shown in KiB/MiB/GiB); smooth: ECharts' own line smoothing (0 to 1).
   */
  constructor(el, { yName = '', logY = false, x = 'step', bytes = false, smooth = 0, title = 'chart' } = {}) {
    this.el = el;
    this.logY = logY;
    this.yName = yName;
    this.x = x;
    this.bytes = bytes;
    this.smooth = smooth;
    this.title = title;
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
      const at = p.at ? Date.parse(p.at) : p.timestampMillis;
      const x = this.x === 'step' || !Number.isFinite(at) ? p.step : at;
      const last = s.points[s.points.length - 1];
      if (last && last[0] > x) sorted = false;
      s.points.push([x, value]);
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

  /** Changes how the chart draws (x: step/time/relative, logY, smooth) and redraws it. */
  configure(options) {
    const x = options.x && options.x !== this.x;
    Object.assign(this, options);
    if (x) this.reload && this.reload();
    this.render();
  }

  draw() {
    const series = [...this.series.values()];
    const colors = ink();
    const fmtY = v => (this.bytes ? fmtBytes(v) : fmtNum(v, 3));
    const origin = new Map(series.map(s => [s, s.points.length ? s.points[0][0] : 0]));
    const xData = s => (this.x === 'relative' ? s.points.map(p => [(p[0] - origin.get(s)) / 1000, p[1]]) : s.points);
    const xName = this.x === 'step' ? 'step' : this.x === 'time' ? 'time' : 'seconds';
    const fmtX = v => (this.x === 'time' ? fmtClock(v) : this.x === 'step' ? fmtNum(Math.round(v)) : fmtNum(v, 3));
    this.chart.setOption({
      animation: false,
      backgroundColor: 'transparent',
      color: PALETTE,
      textStyle: { color: colors.text },
      grid: GRID,
      legend: { type: 'scroll', top: 0, left: 0, right: 64, textStyle: { fontSize: 11, color: colors.text },
        itemHeight: 8 },
      tooltip: { trigger: 'axis', confine: true, valueFormatter: v => (this.bytes ? fmtBytes(v) : fmtNum(v)),
        axisPointer: { type: 'line', snap: false, label: { formatter: p => fmtX(p.value) } } },
      toolbox: { right: 0, top: 0, itemSize: 13, feature: {
        saveAsImage: { title: 'PNG', name: this.title.replace(/[^\w.-]+/g, '_'), pixelRatio: 2,
          backgroundColor: getComputedStyle(document.documentElement).getPropertyValue('--panel').trim() || '#fff' },
        dataView: { title: 'data', readOnly: true, lang: ['data', 'close', 'refresh'] },
        myCsv: { show: true, title: 'CSV', icon: 'path://M4,2H20V22H4Z M8,8H16 M8,12H16 M8,16H13',
          onclick: () => download(this.title.replace(/[^\w.-]+/g, '_') + '.csv',
            seriesCsv(xName, series.map(s => ({ name: s.name, points: xData(s) })))) },
      } },
      xAxis: { type: this.x === 'time' ? 'time' : 'value', name: xName, nameGap: 4, min: 'dataMin', max: 'dataMax',
        minInterval: this.x === 'step' ? 1 : undefined, axisLine: { lineStyle: { color: colors.muted } },
        axisLabel: { fontSize: 11, hideOverlap: true, color: colors.muted,
          formatter: this.x === 'time' ? undefined : v => fmtX(v) } },
      yAxis: { type: this.logY ? 'log' : 'value', scale: true, name: this.yName, nameTextStyle: { align: 'left' },
        splitLine: { lineStyle: { color: colors.line } },
        axisLabel: { fontSize: 11, color: colors.muted, formatter: fmtY } },
      dataZoom: [{ type: 'inside', filterMode: 'none' }],
      series: series.map(s => ({
        type: 'line', name: s.name, data: xData(s), showSymbol: s.points.length < 30, symbolSize: 4,
        smooth: this.smooth || false, color: s.color, lineStyle: { width: s.width }, z: s.z,
        emphasis: { focus: 'series' }, animation: false,
      })),
    }, { replaceMerge: ['series'] });
    this.el.dataset.points = String(this.pointCount);
    this.el.dataset.series = String(series.length);
    this.el.dataset.colors = JSON.stringify(Object.fromEntries([...this.series.entries()].map(([id, s]) => [id, s.color])));
    this.el.dataset.x = this.x;
    this.el.dataset.logY = String(this.logY);
  }

  dispose() {
    cancelAnimationFrame(this.frame);
    this.resize.disconnect();
    this.chart.dispose();
  }
}

/**
 * Whether a numeric parameter belongs on a log axis: its spec says so (log_uniform, q_log_uniform, ...), or it is a
 * list of positive values spanning two or more decades (learning rates 0.001, 0.01, 0.1).
 */
export function logScaled(spec, values) {
  if (!values.length || !values.every(v => typeof v === 'number' && v > 0)) return false;
  if (/log/i.test(String((spec && spec.distribution) || ''))) return true;
  const listed = spec && Array.isArray(spec.values) ? spec.values : null;
  if (!listed || !listed.every(v => typeof v === 'number' && v > 0)) return false;
  return Math.max(...listed) / Math.min(...listed) >= 100;
}

/**
 * Parallel coordinates: one axis per varying parameter, the metric last; one line per run, coloured by the metric
 * (good to bad for the goal); the best run drawn on top in gold. Clicking a line calls onPick(runId); dragging along
 * an axis calls onBrush(Set of run ids inside every brushed range, or null when nothing is brushed).
 */
export function parallelChart(el, { coordinates, specParameters, bestRunId, onPick, onBrush }) {
  const chart = echarts.init(el, null, { renderer: 'canvas' });
  const resize = new ResizeObserver(() => chart.resize());
  resize.observe(el);
  const colors = ink();
  const items = coordinates.items;
  const axes = [];
  coordinates.parameters.forEach(name => {
    const values = items.map(i => i.parameters[name]).filter(v => v !== undefined);
    const distinct = [...new Set(values.map(v => JSON.stringify(v)))];
    if (distinct.length < 2) return; // a constant says nothing
    const numeric = values.every(v => typeof v === 'number');
    const log = numeric && logScaled((specParameters || {})[name], values);
    axes.push(numeric
      ? { name, type: log ? 'log' : 'value', scale: true, get: i => i.parameters[name] }
      : { name, type: 'category', data: distinct.map(d => String(JSON.parse(d))).sort(),
        get: i => String(i.parameters[name]) });
  });
  const values = items.map(i => num(i.value)).filter(Number.isFinite);
  axes.push({ name: coordinates.metric, type: 'value', scale: true, get: i => num(i.value), metric: true });
  const row = i => ({ value: axes.map(a => a.get(i)), name: 'run ' + i.runId, runId: i.runId });
  const finite = items.filter(i => Number.isFinite(num(i.value)));
  const best = finite.find(i => i.runId === bestRunId);
  const minimize = coordinates.goal !== 'maximize';
  chart.setOption({
    animation: false,
    backgroundColor: 'transparent',
    parallel: { left: 50, right: 110, top: 40, bottom: 28,
      parallelAxisDefault: { nameLocation: 'start', nameGap: 14, nameTextStyle: { fontSize: 11, color: colors.muted },
        axisLine: { lineStyle: { color: colors.muted } },
        axisLabel: { fontSize: 10, color: colors.muted, formatter: v => (typeof v === 'number' ? fmtNum(v, 3) : v) } } },
    parallelAxis: axes.map((a, dim) => ({ dim, name: a.name, type: a.type, data: a.data, scale: a.scale,
      nameTextStyle: a.metric ? { fontWeight: 'bold', color: colors.text } : undefined })),
    visualMap: values.length ? {
      type: 'continuous', dimension: axes.length - 1, min: Math.min(...values), max: Math.max(...values),
      inRange: { color: minimize ? ['#1f9d6b', '#e9c46a', '#c2362f'] : ['#c2362f', '#e9c46a', '#1f9d6b'] },
      // the label above the bar, the handles' values beside it: nothing drawn over a tick
      right: 8, top: 56, itemHeight: 110, itemWidth: 12, calculable: true, text: [coordinates.metric, ''],
      textGap: 14, textStyle: { fontSize: 10, color: colors.text }, seriesIndex: 0, formatter: v => fmtNum(v, 3),
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
  chart.on('axisareaselected', () => {
    const brushed = chart.getModel().queryComponents({ mainType: 'parallelAxis' })
      .some(m => (m.activeIntervals || []).length > 0);
    const inside = chart.getModel().getSeriesByIndex(0).getRawIndicesByActiveState('active');
    const ids = brushed ? new Set(inside.map(i => finite[i].runId)) : null;
    el.dataset.brushed = ids ? String(ids.size) : '';
    onBrush && onBrush(ids);
  });
  el.dataset.lines = String(finite.length);
  el.dataset.axes = JSON.stringify(Object.fromEntries(axes.map(a => [a.name, a.type])));
  return {
    dispose: () => { resize.disconnect(); chart.dispose(); },
    /** Brushes the value range [from, to] on the axis of the named parameter (what a drag does; tests use it). */
    brush: (name, from, to) => {
      const dim = axes.findIndex(a => a.name === name);
      chart.dispatchAction({ type: 'axisAreaSelect', parallelAxisIndex: dim, intervals: [[from, to]] });
    },
  };
}
